#pragma once
// A read-only libavformat input over several byte sources played back to back (an init
// segment followed by media segments), without concatenating them in memory.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <vector>

#include "av_handles.hpp"

namespace rdpwarden::codec {

struct ByteSource {
  std::filesystem::path file;            // read from the file when not empty...
  std::uint64_t limit = UINT64_MAX;      // ...at most this many bytes
  std::span<const std::uint8_t> memory;  // ...else from memory

  static ByteSource of_file(std::filesystem::path file, std::uint64_t limit = UINT64_MAX) {
    return {std::move(file), limit, {}};
  }
  static ByteSource of_memory(std::span<const std::uint8_t> memory) {
    return {{}, UINT64_MAX, memory};
  }
};

class ChainedReader {
 public:
  explicit ChainedReader(std::vector<ByteSource> sources);
  // Opens the chain as an MP4 demuxer input. Throws RecordingError.
  av::InputFormatPtr open();

 private:
  static int read_callback(void* opaque, std::uint8_t* buffer, int size);
  int read(std::uint8_t* buffer, int size);

  std::vector<ByteSource> sources_;
  std::size_t current_ = 0;
  std::uint64_t offset_ = 0;  // within the current source
  std::ifstream file_;
  bool file_open_ = false;
  av::IoContextPtr io_;
};

}  // namespace rdpwarden::codec
