#include "server/web/synthetic_recording.hpp"
#include <algorithm>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "web/crypto_util.hpp"

namespace rdpwarden::test {
namespace {

std::string be32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i)
    s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
  return s;
}

std::string be64(std::uint64_t v) {
  return be32(static_cast<std::uint32_t>(v >> 32)) + be32(static_cast<std::uint32_t>(v));
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

void write_manifest(const std::filesystem::path& dir, const ManifestInput& in) {
  using nlohmann::json;
  auto init = slurp(dir / "init.mp4");
  auto init_sha = server::web::sha256_hex(init);
  json segments = json::array();
  std::string chain = init_sha;
  for (std::size_t i = 0; i < in.segments.size(); ++i) {
    const auto& [name, start] = in.segments[i];
    std::int64_t end = i + 1 < in.segments.size() ? in.segments[i + 1].second : in.duration_ms;
    auto bytes = slurp(dir / name);
    auto sha = server::web::sha256_hex(bytes);
    chain = server::web::sha256_hex(chain + sha);
    segments.push_back({{"index", i + 1},
                        {"file", name},
                        {"init", "init.mp4"},
                        {"start_ms", start},
                        {"duration_ms", end - start},
                        {"bytes", bytes.size()},
                        {"sha256", sha},
                        {"chain", chain}});
  }
  json thumbs = nullptr;
  if (!in.thumbs.empty()) {
    json files = json::array();
    for (const auto& [t, name] : in.thumbs)
      files.push_back({{"t", t}, {"file", name}});
    thumbs = {{"interval_ms", 10000}, {"width", 256}, {"height", 144}, {"files", files}};
  }
  json manifest{{"format", "rdpwarden-recording"},
                {"version", 1},
                {"session_id", in.id},
                {"started_at", "2026-11-21T12:00:00.000Z"},
                {"complete", in.complete},
                {"end_reason", in.complete ? "client-disconnect" : ""},
                {"duration_ms", in.duration_ms},
                {"video", {{"codec", in.codec}, {"timescale", 1000}}},
                {"inits",
                 {{{"file", "init.mp4"},
                   {"width", in.width},
                   {"height", in.height},
                   {"bytes", init.size()},
                   {"sha256", init_sha}}}},
                {"segments", segments},
                {"thumbnails", thumbs},
                {"events", {{"file", "events.jsonl"}}}};
  write_file(dir / "manifest.json", manifest.dump(2));
}

std::string mp4_box(std::string_view type, std::string_view payload) {
  return be32(static_cast<std::uint32_t>(payload.size() + 8)) + std::string(type) +
         std::string(payload);
}

std::string synthetic_init(std::uint32_t timescale) {
  std::string mdhd = be32(0) + be32(0) + be32(0) + be32(timescale) + be32(0) + be32(0);
  std::string trex = be32(0) + be32(1) + be32(1) + be32(0) + be32(0) + be32(0);
  std::string moov = mp4_box("mvhd", std::string(100, '\0')) +
                     mp4_box("trak", mp4_box("mdia", mp4_box("mdhd", mdhd))) +
                     mp4_box("mvex", mp4_box("trex", trex));
  return mp4_box("ftyp", "iso5" + be32(512) + "iso5iso6mp41") + mp4_box("moov", moov);
}

std::string synthetic_segment(std::uint64_t base_time, const std::vector<std::uint32_t>& durations,
                              const std::vector<std::uint32_t>& sizes) {
  std::string trun = be32(0x000301) + be32(static_cast<std::uint32_t>(durations.size())) + be32(0);
  std::string mdat;
  for (std::size_t i = 0; i < durations.size(); ++i) {
    std::uint32_t size = i < sizes.size() ? sizes[i] : 128;
    trun += be32(durations[i]) + be32(size);
    mdat += std::string(size, '\x42');
  }
  std::string traf = mp4_box("tfhd", be32(0x020000) + be32(1)) +
                     mp4_box("tfdt", be32(0x01000000) + be64(base_time)) + mp4_box("trun", trun);
  std::string moof = mp4_box("mfhd", be32(0) + be32(1)) + mp4_box("traf", traf);
  return mp4_box("styp", "msdh" + be32(0) + "msdhmsix") + mp4_box("moof", moof) +
         mp4_box("mdat", mdat);
}

std::filesystem::path write_synthetic_recording(const std::filesystem::path& root,
                                                const SyntheticRecording& rec) {
  auto dir = root / rec.id;
  std::filesystem::create_directories(dir);
  write_file(dir / "init.mp4", synthetic_init(1000));
  ManifestInput manifest;
  manifest.id = rec.id;
  manifest.duration_ms = rec.duration_ms;
  manifest.complete = rec.complete;
  for (std::size_t i = 0; i < rec.segments.size(); ++i) {
    const auto& frames = rec.segments[i];
    std::int64_t end = i + 1 < rec.segments.size() ? rec.segments[i + 1].front() : rec.duration_ms;
    std::vector<std::uint32_t> durations;
    std::vector<std::uint32_t> sizes;
    for (std::size_t f = 0; f < frames.size(); ++f) {
      std::int64_t next = f + 1 < frames.size() ? frames[f + 1] : end;
      durations.push_back(static_cast<std::uint32_t>(next - frames[f]));
      bool repeat = std::find(rec.repeat_frames.begin(), rec.repeat_frames.end(), frames[f]) !=
                    rec.repeat_frames.end();
      sizes.push_back(repeat ? 20 : 128);
    }
    auto name = fmt::format("seg-{:06}.m4s", i + 1);
    write_file(dir / name,
               synthetic_segment(static_cast<std::uint64_t>(frames.front()), durations, sizes));
    manifest.segments.emplace_back(name, frames.front());
  }
  if (rec.thumbnails) {
    for (std::int64_t t = 0; t < rec.duration_ms; t += 10000) {
      auto name = fmt::format("thumbs/t-{:08}.jpg", t);
      write_file(dir / name, "\xff\xd8\xff\xe0 fake jpeg " + std::to_string(t));
      manifest.thumbs.emplace_back(t, name);
    }
  }
  write_manifest(dir, manifest);
  std::string events;
  for (const auto& line : rec.events)
    events += line + "\n";
  write_file(dir / "events.jsonl", events);
  return dir;
}

}  // namespace rdpwarden::test
