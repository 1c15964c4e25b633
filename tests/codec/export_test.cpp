// `rdpwarden export SESSION --mp4 FILE` end to end: the real binary, ffprobe, and a decode of
// the exported file.
#include <catch2/catch.hpp>

#include <rdpwarden/codec/frame_decoder.hpp>
#include <rdpwarden/codec/recorder.hpp>

#include "image_compare.hpp"
#include "recording_fixture.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "synthetic_desktop.hpp"

using namespace rdpwarden;
using codec::Rect;
using codec::SessionTime;

TEST_CASE("export writes one MP4 with the session's duration that ffprobe and a decoder read",
          "[export]") {
  test::TempDir tmp;
  auto data = tmp / "data";
  auto session_dir = data / "recordings" / "0b1c2d3e-session";
  std::filesystem::create_directories(session_dir.parent_path());
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(640, 360);
  auto opts = test::test_options(session_dir);
  opts.segment_seconds = 2;  // several segments
  auto rec = codec::Recorder::start(opts, observer);
  Rect all{0, 0, 640, 360};
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  for (int i = 1; i <= 60; ++i) {
    Rect r = desk.type_char(i % 70, 1 + i / 70, static_cast<char>('a' + i % 26));
    rec->on_frame(desk.view(), {&r, 1}, SessionTime(i * 150));
  }
  rec->stop("client-disconnect", SessionTime(12345));
  REQUIRE(observer.segments.size() >= 3);

  auto mp4 = tmp / "out.mp4";
  auto run = test::run({test::rdpwarden_bin().string(), "--data-dir", data.string(), "export",
                        "0b1c2d3e-session", "--mp4", mp4.string()});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.find("out.mp4") != std::string::npos);

  auto probe = test::run({"ffprobe", "-v", "error", "-show_entries",
                          "format=duration,format_name:stream=codec_name,width,height,nb_frames",
                          "-of", "default=nw=1", mp4.string()});
  REQUIRE(probe.exit_code == 0);
  INFO(probe.out);
  CHECK(probe.out.find("codec_name=h264") != std::string::npos);
  CHECK(probe.out.find("width=640") != std::string::npos);
  CHECK(probe.out.find("nb_frames=61") != std::string::npos);
  auto at = probe.out.find("duration=");
  REQUIRE(at != std::string::npos);
  double duration = std::stod(probe.out.substr(at + 9));
  CHECK(duration == Approx(12.345).margin(0.002));

  auto frames = codec::FrameDecoder::decode_file(mp4);
  REQUIRE(frames.size() == 61);
  CHECK(frames[30].pts == SessionTime(30 * 150));
  CHECK(test::psnr(frames.back().view(), desk.view()) > 32.0);
}

TEST_CASE("export refuses bad session ids and missing recordings in one line", "[export]") {
  test::TempDir tmp;
  auto bad = test::run({test::rdpwarden_bin().string(), "--data-dir", tmp.path().string(), "export",
                        "../etc", "--mp4", (tmp / "x.mp4").string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("not a session id") != std::string::npos);
  auto missing = test::run({test::rdpwarden_bin().string(), "--data-dir", tmp.path().string(),
                            "export", "nope", "--mp4", (tmp / "x.mp4").string()});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no recording for session nope") != std::string::npos);
  CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);
  CHECK(!std::filesystem::exists(tmp / "x.mp4"));
}
