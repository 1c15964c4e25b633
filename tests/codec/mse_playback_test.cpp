// A recording plays in Chromium through Media Source Extensions the way the web player will
// feed it: manifest.json, then init + segments appended in order.
#include <fstream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recorder.hpp>

#include "recording_fixture.hpp"
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
