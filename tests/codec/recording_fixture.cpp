#include "recording_fixture.hpp"
#include <fstream>
#include <sstream>

namespace rdpwarden::test {

codec::RecorderOptions test_options(const std::filesystem::path& dir) {
  codec::RecorderOptions o;
  o.session_dir = dir;
  o.session_id = "test-session";
  o.thumbnail_seconds = 0;
  o.min_free_bytes = 1 << 20;
  // Room for every update a test feeds at once, so frame times are exactly the fed times
  // (the full-queue merge has its own test).
  o.queue_frames = 512;
  o.clock = [] { return codec::SessionTime(0); };
  return o;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> read_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

}  // namespace rdpwarden::test
