// Makes (and caches) the web player benchmark's recording without starting the console: the
// same options and cache as web_player_bench, so a later benchmark run finds it.
//
//   web_player_bench_record --cache DIR [--minutes 60] [--segment-seconds 30] [--fps 10]
//                           [--size 1920x1080] [--crf N]

#include <cstdio>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "bench/web_player_bench_recording.hpp"

using namespace rdpwarden;

int main(int argc, char** argv) try {
  bench::PlayerRecording r;
  std::filesystem::path cache;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    if (bench::set_recording_option(r, k, v)) continue;
    if (k == "--cache")
      cache = v;
    else
      throw std::runtime_error("unknown option " + k);
  }
  if (cache.empty()) throw std::runtime_error("--cache DIR is required");
  std::filesystem::path dir;
  bench::ensure_player_recording(r, cache, dir);
  fmt::print("{}\n", dir.string());
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "web_player_bench_record: {}\n", e.what());
  return 1;
}
