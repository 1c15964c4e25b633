#include "server/web/ffmpeg_decode.hpp"
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void ffmpeg(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-y"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.timeout = timeout;
  auto r = run(argv, options);
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg failed: " + r.err.substr(0, 2000));
}

}  // namespace

std::uint32_t decoded_colour(const fs::path& dir, std::int64_t t_ms, int x, int y) {
  TempDir tmp("rdpwarden-colour");
  auto whole = tmp.path() / "whole.mp4";
  {
    std::ofstream out(whole, std::ios::binary);
    out << slurp(dir / "init.mp4");
    for (int i = 1; fs::exists(dir / fmt::format("seg-{:06}.m4s", i)); ++i)
      out << slurp(dir / fmt::format("seg-{:06}.m4s", i));
  }
  auto raw = tmp.path() / "px.rgb";
  ffmpeg({"-ss", fmt::format("{:.3f}", t_ms / 1000.0), "-i", whole.string(), "-frames:v", "1",
          "-vf", fmt::format("crop=4:4:{}:{},scale=1:1", x, y), "-f", "rawvideo", "-pix_fmt",
          "rgb24", raw.string()},
         std::chrono::minutes(2));
  auto px = slurp(raw);
  if (px.size() < 3) throw std::runtime_error("ffmpeg decoded no pixel");
  auto c = [&](int i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(px[static_cast<std::size_t>(i)]));
  };
  return (c(0) << 16) | (c(1) << 8) | c(2);
}

}  // namespace rdpwarden::test
