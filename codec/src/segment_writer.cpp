#include "segment_writer.hpp"
#include <cstdio>

namespace rdpwarden::codec {

SegmentWriter::SegmentWriter(std::filesystem::path dir, Manifest manifest)
    : dir_(std::move(dir)), manifest_(std::move(manifest)) {
  if (!manifest_.segments.empty()) next_index_ = manifest_.segments.back().index + 1;
}

std::error_code SegmentWriter::add_init(std::span<const std::uint8_t> init, int width, int height,
                                        const std::string& codec) {
  InitEntry entry;
  entry.file = init_file_name(static_cast<int>(manifest_.inits.size()) + 1);
  entry.width = width;
  entry.height = height;
  entry.bytes = init.size();
  entry.sha256 = sha256_hex(init);
  entry.first_segment = next_index_;
  if (auto ec = write_file_atomic(dir_ / entry.file, init)) return ec;
  bytes_written_ += init.size();
  manifest_.codec = codec;
  manifest_.inits.push_back(std::move(entry));
  return save_manifest();
}

std::error_code SegmentWriter::open_segment(SessionTime start) {
  partial_ = dir_ / (segment_file_name(next_index_) + ".partial");
  start_ = start;
  segment_bytes_ = 0;
  return file_.open(partial_, false);
}

std::error_code SegmentWriter::append(std::span<const std::uint8_t> fragment) {
  if (fragment.empty()) return {};
  if (auto ec = file_.write(fragment)) return ec;
  sha_.update(fragment);
  segment_bytes_ += fragment.size();
  bytes_written_ += fragment.size();
  return file_.sync();
}

std::error_code SegmentWriter::close_segment(SessionTime end, SegmentRecord& closed) {
  if (auto ec = file_.sync()) return ec;
  file_.close();
  closed = {};
  closed.index = next_index_;
  closed.file = segment_file_name(next_index_);
  const InitEntry* init = manifest_.init_for(next_index_);
  closed.init_file = init ? init->file : std::string();
  closed.start = start_;
  closed.duration = std::chrono::milliseconds(std::max<std::int64_t>(0, (end - start_).count()));
  closed.bytes = segment_bytes_;
  closed.sha256 = sha_.hex();
  std::string previous = manifest_.segments.empty()
                             ? (manifest_.inits.empty() ? "" : manifest_.inits.front().sha256)
                             : manifest_.segments.back().chain;
  closed.chain = chain_link(previous, closed.sha256);
  if (std::rename(partial_.c_str(), (dir_ / closed.file).c_str()) != 0)
    return {errno, std::generic_category()};
  if (auto ec = sync_directory(dir_)) return ec;
  ++next_index_;
  manifest_.segments.push_back(closed);
  manifest_.duration_ms = (end).count();
  return save_manifest();
}

std::error_code SegmentWriter::save_manifest() {
  return manifest_.save(dir_);
}

}  // namespace rdpwarden::codec
