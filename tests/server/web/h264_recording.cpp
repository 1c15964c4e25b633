#include "server/web/h264_recording.hpp"
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "server/web/synthetic_recording.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "web/fragment_reader.hpp"

namespace rdpwarden::test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t be32(const std::string& s, std::size_t at) {
  auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i]));
  };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

void ffmpeg(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-y"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.timeout = timeout;
  auto r = run(argv, options);
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg failed: " + r.err.substr(0, 2000));
}

void encode(const fs::path& out, const H264RecordingSpec& spec) {
  std::string select = "1";
  for (const auto& [from, to] : spec.idle)
    select += fmt::format("*not(between(t\\,{:.3f}\\,{:.3f}))", from / 1000.0, (to - 1) / 1000.0);
  auto seconds = fmt::format("{:.3f}", spec.duration_ms / 1000.0);
  auto filter = fmt::format(
      "[0]hue=H=floor(t/{:.3f})*PI/3[bg];[bg][1]overlay=x={}:y=20,select='{}',format=yuv420p[v]",
      spec.hue_period_ms / 1000.0, spec.width - spec.width / 4 - 20, select);
  ffmpeg({"-f",
          "lavfi",
          "-i",
          fmt::format("color=c=0xd02020:s={}x{}:r={}:d={}", spec.width, spec.height, spec.fps,
                      seconds),
          "-f",
          "lavfi",
          "-i",
          fmt::format("testsrc2=s={}x{}:r={}:d={}", spec.width / 4, spec.height / 4, spec.fps,
                      seconds),
          "-filter_complex",
          filter,
          "-map",
          "[v]",
          "-c:v",
          "libx264",
          "-preset",
          "veryfast",
          "-tune",
          "stillimage",
          "-crf",
          "28",
          "-bf",
          "0",
          "-g",
          "100000",
          "-sc_threshold",
          "0",
          "-force_key_frames",
          fmt::format("expr:gte(t,n_forced*{:.3f})", spec.segment_ms / 1000.0),
          "-fps_mode",
          "vfr",
          "-video_track_timescale",
          "1000",
          "-movflags",
          "+frag_keyframe+empty_moov+default_base_moof",
          "-f",
          "mp4",
          out.string()},
         std::chrono::minutes(20));
}

// init = ftyp + moov; each moof + mdat pair (one per keyframe) becomes a segment.
void split(const fs::path& mp4, const fs::path& dir, H264Recording& out, ManifestInput& manifest) {
  auto data = slurp(mp4);
  std::string init;
  std::size_t pos = 0;
  int index = 0;
  std::string pending;
  while (pos + 8 <= data.size()) {
    auto size = be32(data, pos);
    auto type = data.substr(pos + 4, 4);
    if (size < 8 || pos + size > data.size()) throw std::runtime_error("ffmpeg wrote a broken MP4");
    auto box = data.substr(pos, size);
    if (type == "ftyp" || type == "moov") init += box;
    if (type == "moof") pending = box;
    if (type == "mdat" && !pending.empty()) {
      auto name = fmt::format("seg-{:06}.m4s", ++index);
      write_file(dir / name, pending + box);
      pending.clear();
      std::string problem;
      auto samples = server::web::read_samples(dir / name, {1000, 0, 0}, problem);
      if (!samples || samples->empty())
        throw std::runtime_error("segment without frames: " + problem);
      manifest.segments.emplace_back(name, samples->front().t_ms);
      out.segment_starts_ms.push_back(samples->front().t_ms);
    }
    pos += size;
  }
  write_file(dir / "init.mp4", init);
  auto avcc = init.find("avcC");
  if (avcc == std::string::npos || avcc + 8 > init.size())
    throw std::runtime_error("no avcC in init");
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(init[avcc + 4 + i]); };
  out.codec = fmt::format("avc1.{:02x}{:02x}{:02x}", byte(1), byte(2), byte(3));
}

void thumbnails(const fs::path& mp4, const fs::path& dir, const H264RecordingSpec& spec,
                ManifestInput& manifest) {
  fs::create_directories(dir / "thumbs");
  TempDir tmp("rdpwarden-thumbs");
  ffmpeg({"-i", mp4.string(), "-vf", "fps=1/10:round=down,scale=256:144", "-q:v", "5",
          (tmp.path() / "%d.jpg").string()},
         std::chrono::minutes(10));
  for (int n = 1;; ++n) {
    auto from = tmp.path() / fmt::format("{}.jpg", n);
    std::int64_t t = (n - 1) * 10000;
    if (!fs::exists(from) || t >= spec.duration_ms) break;
    auto name = fmt::format("thumbs/t-{:08}.jpg", t);
    fs::copy_file(from, dir / name, fs::copy_options::overwrite_existing);
    manifest.thumbs.emplace_back(t, name);
  }
}

}  // namespace

H264Recording make_h264_recording(const fs::path& root, const H264RecordingSpec& spec) {
  H264Recording out;
  out.dir = root / spec.id;
  fs::create_directories(out.dir);
  TempDir tmp("rdpwarden-h264");
  auto mp4 = tmp.path() / "whole.mp4";
  encode(mp4, spec);
  ManifestInput manifest;
  manifest.id = spec.id;
  manifest.width = spec.width;
  manifest.height = spec.height;
  manifest.duration_ms = spec.duration_ms;
  split(mp4, out.dir, out, manifest);
  manifest.codec = out.codec;
  if (spec.thumbnails) thumbnails(mp4, out.dir, spec, manifest);
  write_manifest(out.dir, manifest);
  std::string events;
  for (const auto& line : spec.events)
    events += line + "\n";
  write_file(out.dir / "events.jsonl", events);
  for (const auto& entry : fs::directory_iterator(out.dir)) {
    if (entry.is_regular_file() &&
        (entry.path().extension() == ".m4s" || entry.path().filename() == "init.mp4"))
      out.bytes += entry.file_size();
  }
  return out;
}

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
