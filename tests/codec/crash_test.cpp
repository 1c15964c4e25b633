// kill -9 of a process in the middle of recording: everything up to the last flush stays
// playable after recovery.
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <rdpwarden/codec/frame_decoder.hpp>
#include <rdpwarden/codec/recorder.hpp>
#include <rdpwarden/codec/recovery.hpp>

#include "image_compare.hpp"
#include "manifest.hpp"
#include "recording_fixture.hpp"
#include "support/temp_dir.hpp"
#include "synthetic_desktop.hpp"

using namespace rdpwarden;
using codec::Rect;
using codec::SessionTime;

namespace {

constexpr int kCols = 70;

// The desktop after `n` typed characters (what the child shows at step n).
void type_steps(test::SyntheticDesktop& desk, int from, int to) {
  for (int i = from; i < to; ++i)
    desk.type_char(i % kCols, 1 + i / kCols, static_cast<char>('a' + i % 26));
}

[[noreturn]] void record_forever(const std::filesystem::path& dir) {
  test::CollectingObserver observer;
  auto opts = test::test_options(dir);
  opts.clock = nullptr;  // the real session clock
  opts.flush_seconds = 1;
  auto rec = codec::Recorder::start(opts, observer);
  test::SyntheticDesktop desk(640, 360);
  auto start = std::chrono::steady_clock::now();
  Rect all{0, 0, 640, 360};
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    type_steps(desk, i, i + 1);
    Rect r{0, 0, 640, 360};
    auto t = std::chrono::duration_cast<SessionTime>(std::chrono::steady_clock::now() - start);
    rec->on_frame(desk.view(), {&r, 1}, t);
  }
  _exit(3);  // never reached in the test: the parent kills us first
}

}  // namespace

TEST_CASE("kill -9 mid-session leaves a playable recording up to the last flush", "[crash]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) record_forever(dir);
  std::this_thread::sleep_for(std::chrono::milliseconds(4500));
  REQUIRE(::kill(child, SIGKILL) == 0);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));

  auto result = codec::recover_recording(dir);
  INFO("recovered " << result.duration.count() << " ms");
  // Flushes every second: at most ~1 s (plus scheduling slack on a loaded machine) is lost.
  CHECK(result.duration >= std::chrono::milliseconds(2500));
  CHECK(result.segments == 1);
  auto m = codec::Manifest::load(dir);
  CHECK(m.end_reason == "interrupted");
  auto frames = codec::FrameDecoder::decode_session(dir);
  REQUIRE(frames.size() >= 15);
  CHECK(frames.front().keyframe);
  // The last recovered frame is exactly one of the pictures the child showed.
  test::SyntheticDesktop desk(640, 360);
  double best = 0;
  int typed = 0;
  for (int n = 0; n < 100; ++n) {
    if (n > 0) type_steps(desk, n - 1, n);
    double p = test::psnr(frames.back().view(), desk.view());
    if (p > best) best = p, typed = n;
  }
  INFO("best match after " << typed << " characters");
  CHECK(best > 32.0);
  CHECK(typed >= 20);
}
