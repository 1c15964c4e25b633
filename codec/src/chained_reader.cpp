#include "chained_reader.hpp"
#include <cstring>

#include <fmt/format.h>

#include <rdpwarden/codec/recording_error.hpp>

namespace rdpwarden::codec {

ChainedReader::ChainedReader(std::vector<ByteSource> sources) : sources_(std::move(sources)) {}

int ChainedReader::read_callback(void* opaque, std::uint8_t* buffer, int size) {
  return static_cast<ChainedReader*>(opaque)->read(buffer, size);
}

int ChainedReader::read(std::uint8_t* buffer, int size) {
  while (current_ < sources_.size()) {
    ByteSource& s = sources_[current_];
    std::uint64_t want = static_cast<std::uint64_t>(size);
    if (!s.file.empty()) {
      if (!file_open_) {
        file_.open(s.file, std::ios::binary);
        if (!file_) return AVERROR(EIO);
        file_open_ = true;
      }
      want = std::min(want, s.limit - offset_);
      if (want > 0) {
        file_.read(reinterpret_cast<char*>(buffer), static_cast<std::streamsize>(want));
        std::streamsize got = file_.gcount();
        if (got > 0) {
          offset_ += static_cast<std::uint64_t>(got);
          return static_cast<int>(got);
        }
      }
      file_.close();
      file_.clear();
      file_open_ = false;
    } else if (offset_ < s.memory.size()) {
      std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(want, s.memory.size() - offset_));
      std::memcpy(buffer, s.memory.data() + offset_, n);
      offset_ += n;
      return static_cast<int>(n);
    }
    ++current_;
    offset_ = 0;
  }
  return AVERROR_EOF;
}

av::InputFormatPtr ChainedReader::open() {
  io_ = av::make_io_context(false, this, &ChainedReader::read_callback, nullptr, nullptr);
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) throw RecordingError("avformat_alloc_context failed");
  raw->pb = io_.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  // On failure avformat_open_input frees the context itself.
  av::check(avformat_open_input(&raw, nullptr, av_find_input_format("mp4"), nullptr),
            "open recording");
  return av::InputFormatPtr(raw);
}

}  // namespace rdpwarden::codec
