// A recording plays in Chromium through Media Source Extensions the way the web player will
// feed it: manifest.json, then init + segments appended in order; and a server-side seek
// fragment (codec::SeekIndex) plays on its own after the init, showing the exact pictures.
#include <array>
#include <cstdlib>
#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/frame_decoder.hpp>
#include <rdpwarden/codec/recorder.hpp>
#include <rdpwarden/codec/seek_index.hpp>

#include "recording_fixture.hpp"
#include "seek_fixture.hpp"
#include "support/browser_script.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "synthetic_desktop.hpp"

using namespace rdpwarden;
using codec::Rect;
using codec::SessionTime;

namespace {

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

constexpr const char* kPage = R"(<!doctype html><html><body>
<video id=v muted playsinline></video><canvas id=c width=640 height=360></canvas>
<pre id=result>pending</pre>
<script>
const out = (o) => { document.getElementById('result').textContent = JSON.stringify(o); };
(async () => {
  try {
    const m = await (await fetch('rec/manifest.json')).json();
    const type = `video/mp4; codecs="${m.video.codec}"`;
    const supported = MediaSource.isTypeSupported(type);
    const ms = new MediaSource();
    const v = document.getElementById('v');
    v.src = URL.createObjectURL(ms);
    await new Promise(r => ms.addEventListener('sourceopen', r, {once: true}));
    const sb = ms.addSourceBuffer(type);
    const append = (buf) => new Promise((res, rej) => {
      sb.addEventListener('updateend', res, {once: true});
      sb.addEventListener('error', rej, {once: true});
      sb.appendBuffer(buf);
    });
    const files = [m.inits[0].file, ...m.segments.map(s => s.file)];
    for (const f of files) await append(await (await fetch('rec/' + f)).arrayBuffer());
    ms.duration = m.duration_ms / 1000;
    ms.endOfStream();
    v.currentTime = 1.0;
    await new Promise(r => v.addEventListener('seeked', r, {once: true}));
    await v.play();
    // Wait for playback to move on (generous: a loaded machine decodes slowly).
    const deadline = performance.now() + 30000;
    while (v.currentTime <= 1.5 && performance.now() < deadline)
      await new Promise(r => setTimeout(r, 50));
    const ctx = document.getElementById('c').getContext('2d');
    ctx.drawImage(v, 0, 0, 640, 360);
    const inside = Array.from(ctx.getImageData(320, 300, 1, 1).data);
    const outside = Array.from(ctx.getImageData(4, 4, 1, 1).data);
    const b = sb.buffered;
    out({supported, ranges: b.length, start: b.start(0), end: b.end(b.length - 1),
         duration: v.duration, time: v.currentTime, width: v.videoWidth, inside, outside});
  } catch (e) { out({error: String(e)}); }
})();
</script></body></html>)";

}  // namespace

TEST_CASE("Chromium plays a recording through MSE, buffered end to end", "[browser]") {
  test::TempDir tmp;
  auto web = tmp / "web";
  std::filesystem::create_directories(web);
  test::CollectingObserver observer;
  test::SyntheticDesktop desk(640, 360);
  auto opts = test::test_options(web / "rec");
  opts.segment_seconds = 1;
  opts.flush_seconds = 1;
  auto rec = codec::Recorder::start(opts, observer);
  Rect all{0, 0, 640, 360};
  rec->on_frame(desk.view(), {&all, 1}, SessionTime(0));
  for (int i = 1; i <= 40; ++i) {
    Rect r = desk.type_char(i, 2, 'x');
    // A burst, a 3 s idle gap (flush + repeat frame), another burst.
    rec->on_frame(desk.view(), {&r, 1}, SessionTime(i <= 20 ? i * 100 : 3000 + i * 100));
  }
  rec->stop("end", SessionTime(9000));
  REQUIRE(observer.segments.size() >= 3);
  std::ofstream(web / "index.html") << kPage;

  int port = free_port();
  test::Process server({"python3", "-m", "http.server", std::to_string(port), "--bind", "127.0.0.1",
                        "--directory", web.string()},
                       {});
  REQUIRE(test::wait_until(
      [&] {
        return test::run({"python3", "-c",
                          "import socket,sys; socket.create_connection(('127.0.0.1'," +
                              std::to_string(port) + "),1)"})
                   .exit_code == 0;
      },
      std::chrono::milliseconds(10000)));
  auto chrome = test::run_browser_script(
      std::filesystem::path(RDPWARDEN_CODEC_TEST_DIR) / "mse_playback.mjs",
      {.args = {"http://127.0.0.1:" + std::to_string(port) + "/index.html"},
       .timeout = std::chrono::milliseconds(150000)});
  server.stop();
  INFO(chrome.log);
  REQUIRE(chrome.ok());
  const nlohmann::json& r = chrome.result;
  INFO(r.dump());
  REQUIRE(r.is_object());
  REQUIRE(!r.contains("error"));
  CHECK(r["supported"] == true);
  CHECK(r["ranges"] == 1);  // no holes, also across the idle gap
  CHECK(r["start"].get<double>() == Approx(0.0).margin(0.01));
  CHECK(r["end"].get<double>() == Approx(9.0).margin(0.01));
  CHECK(r["duration"].get<double>() == Approx(9.0).margin(0.01));
  CHECK(r["time"].get<double>() > 1.5);
  CHECK(r["width"] == 640);
  CHECK(r["inside"][0].get<int>() > 200);   // the white window
  CHECK(r["outside"][2].get<int>() < 120);  // the dark background (red channel)
}

namespace {

// BGRX of `frame` at (x, y) as R, G, B.
std::array<int, 3> rgb_at(const codec::DecodedFrame& frame, int x, int y) {
  const std::uint8_t* p = frame.view().row(y) + x * 4;
  return {p[2], p[1], p[0]};
}

void write_file(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(file, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("Chromium plays a server-side seek fragment (non-IDR I_PCM picture) exactly",
          "[browser]") {
  test::TempDir tmp;
  auto web = tmp / "web";
  std::filesystem::create_directories(web);
  auto rec = web / "rec";
  test::SeekScript script;  // one segment of ~300 frames after one IDR, 640x360
  auto info = test::record_seek_script(rec, script);
  REQUIRE(info.segments == 1);
  const SessionTime t = info.frame_times[180];
  const SessionTime later = info.frame_times[240];

  codec::SeekIndex index;
  auto fragment = index.fragment_at(rec, t);
  REQUIRE(fragment.start == t);
  write_file(web / "seek.m4s", fragment.bytes);
  auto reference = codec::FrameDecoder::decode_session(rec);
  const auto* at_start = codec::frame_at(reference, t);
  const auto* at_later = codec::frame_at(reference, later);
  const auto* at_key = codec::frame_at(reference, SessionTime(0));
  REQUIRE((at_start && at_later && at_key));

  // A grid over the picture (text, window, background) plus the dragged box at both times.
  nlohmann::json points = nlohmann::json::array();
  for (int y = 8; y < script.height; y += 44)
    for (int x = 8; x < script.width; x += 52)
      points.push_back({x, y});
  auto box_centre = [&](int i) {
    return nlohmann::json::array(
        {40 + (i * 7) % (script.width - 140) + 24, 60 + (i * 3) % (script.height - 120) + 16});
  };
  points.push_back(box_centre(180));
  points.push_back(box_centre(240));
  // The pictures at the seek times differ from the keyframe's where the box is: a player
  // that showed the keyframe (or garbage) instead would fail below.
  auto differs = [&](const codec::DecodedFrame& a, const nlohmann::json& p) {
    auto x = p[0].get<int>(), y = p[1].get<int>();
    auto ca = rgb_at(a, x, y), ck = rgb_at(*at_key, x, y);
    return std::abs(ca[0] - ck[0]) + std::abs(ca[1] - ck[1]) + std::abs(ca[2] - ck[2]) > 60;
  };
  REQUIRE(differs(*at_start, points[points.size() - 2]));
  REQUIRE(differs(*at_later, points[points.size() - 1]));

  nlohmann::json seek = {
      {"codec", nlohmann::json::parse(test::read_text(rec / "manifest.json"))["video"]["codec"]},
      {"init", "rec/" + fragment.init},
      {"fragment", "seek.m4s"},
      {"start", fragment.start.count() / 1000.0},
      {"later", later.count() / 1000.0},
      {"points", points}};
  std::ofstream(web / "seek.json") << seek.dump();
  std::filesystem::copy_file(std::filesystem::path(RDPWARDEN_CODEC_TEST_DIR) / "mse_seek_page.html",
                             web / "index.html");

  int port = free_port();
  test::Process server({"python3", "-m", "http.server", std::to_string(port), "--bind", "127.0.0.1",
                        "--directory", web.string()},
                       {});
  REQUIRE(test::wait_until(
      [&] {
        return test::run({"python3", "-c",
                          "import socket,sys; socket.create_connection(('127.0.0.1'," +
                              std::to_string(port) + "),1)"})
                   .exit_code == 0;
      },
      std::chrono::milliseconds(10000)));
  auto chrome = test::run_browser_script(
      std::filesystem::path(RDPWARDEN_CODEC_TEST_DIR) / "mse_playback.mjs",
      {.args = {"http://127.0.0.1:" + std::to_string(port) + "/index.html"},
       .timeout = std::chrono::milliseconds(150000)});
  server.stop();
  INFO(chrome.log);
  REQUIRE(chrome.ok());
  const nlohmann::json& r = chrome.result;
  INFO(r.dump());
  REQUIRE(r.is_object());
  REQUIRE(!r.contains("error"));
  CHECK(r["error_code"] == 0);
  CHECK(r["width"] == script.width);
  REQUIRE(r["ranges"].size() == 1);
  CHECK(r["ranges"][0][0].get<double>() == Approx(t.count() / 1000.0).margin(0.002));
  CHECK(r["ranges"][0][1].get<double>() == Approx(info.end.count() / 1000.0).margin(0.002));
  // Chromium's YUV to RGB differs from swscale's by a few levels; a wrong picture by far more.
  for (const char* which : {"at_start", "at_later"}) {
    const codec::DecodedFrame& expected = std::string(which) == "at_start" ? *at_start : *at_later;
    for (std::size_t i = 0; i < points.size(); ++i) {
      auto want = rgb_at(expected, points[i][0].get<int>(), points[i][1].get<int>());
      INFO(which << " point " << points[i].dump());
      for (int c = 0; c < 3; ++c)
        CHECK(std::abs(r[which][i][c].get<int>() - want[static_cast<std::size_t>(c)]) <= 12);
    }
  }
}
