#include "seek_check.hpp"
#include <cstdio>

#include <catch2/catch.hpp>

namespace rdpwarden::test {

std::map<std::int64_t, YuvFrame> reference_frames(const std::filesystem::path& rec,
                                                  const std::filesystem::path& scratch,
                                                  int segments) {
  std::vector<std::vector<std::uint8_t>> parts{read_bytes(rec / "init.mp4")};
  for (int i = 1; i <= segments; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "seg-%06d.m4s", i);
    parts.push_back(read_bytes(rec / name));
  }
  concat_files(scratch, parts);
  std::map<std::int64_t, YuvFrame> out;
  for (auto& f : decode_yuv(scratch))
    out[f.pts] = std::move(f);
  return out;
}

std::size_t check_fragment(const std::filesystem::path& rec, const codec::SeekFragment& f,
                           const std::map<std::int64_t, YuvFrame>& ref,
                           const std::filesystem::path& scratch) {
  concat_files(scratch, {read_bytes(rec / f.init), f.bytes});
  auto frames = decode_yuv(scratch);
  REQUIRE(!frames.empty());
  CHECK(frames.front().pts == f.start.count());
  std::size_t expected = 0;
  for (const auto& [pts, frame] : ref)
    if (pts >= f.start.count() && pts < f.end.count()) ++expected;
  CHECK(frames.size() == expected);
  for (const auto& frame : frames) {
    INFO("frame at " << frame.pts << " ms");
    auto it = ref.find(frame.pts);
    REQUIRE(it != ref.end());
    REQUIRE(frame.width == it->second.width);
    REQUIRE(frame.height == it->second.height);
    REQUIRE(frame.planes == it->second.planes);  // byte for byte
  }
  return frames.size();
}

}  // namespace rdpwarden::test
