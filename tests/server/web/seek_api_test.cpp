// The seek route through WebApp, without sockets: parsing of t, the refusals (cookie, ids,
// sessions without a recording, positions outside it), a full build queue answering 503 at
// once, and a fragment built from a real recording (codec::Recorder + codec::SeekIndex).
#include <atomic>
#include <future>
#include <thread>
#include <zlib.h>

#include <boost/beast/http/field.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/frame_decoder.hpp>

#include "server/web/console_fixture.hpp"
#include "server/web/recorded_session.hpp"
#include "web/bounded_pool.hpp"
#include "web/gzip.hpp"
#include "web/seek_api.hpp"

using namespace rdpwarden;
using namespace rdpwarden::server::web;
using rdpwarden::test::body_bytes;
using rdpwarden::test::Console;
using rdpwarden::test::kId;
using rdpwarden::test::row;
namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr const char* kRecordedId = "5eec0000-0000-4000-8000-000000000001";
constexpr const char* kBareId = "5eec0000-0000-4000-8000-000000000002";

std::string seek_url(const std::string& id, const std::string& t) {
  return "/api/v1/sessions/" + id + "/seek?t=" + t;
}

std::string error_of(const Response& res) {
  return json::parse(body_bytes(res)).value("error", "");
}

// What a browser does with Content-Encoding: gzip (an independent inflate, not our code).
std::string gunzip(const std::string& in) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  std::string out;
  char buffer[1 << 16];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  inflateEnd(&z);
  REQUIRE(rc == Z_STREAM_END);
  return out;
}

}  // namespace

TEST_CASE("seek: t is a bounded whole number of milliseconds", "[web][seek]") {
  CHECK(parse_seek_ms("0") == 0);
  CHECK(parse_seek_ms("12345") == 12345);
  CHECK(parse_seek_ms("000042") == 42);
  CHECK(parse_seek_ms(std::to_string(kMaxSeekMs)) == kMaxSeekMs);
  for (std::string bad :
       std::vector<std::string>{"", "-1", "+1", " 1", "1 ", "1.5", "1e3", "0x10", "12abc", "١٢",
                                "99999999999999999999", std::to_string(kMaxSeekMs + 1), "NaN"}) {
    INFO(bad);
    CHECK_FALSE(parse_seek_ms(bad));
  }
}

TEST_CASE("seek: gzip only when Accept-Encoding allows it", "[web][seek]") {
  for (std::string yes : {"gzip", "gzip, deflate, br", "br;q=1.0, GZIP;q=0.5", "x-gzip", "*",
                          "deflate, *;q=0.1", " gzip ; q=1 "}) {
    INFO(yes);
    CHECK(accepts_gzip(yes));
  }
  for (std::string no : {"", "identity", "br, deflate", "gzip;q=0", "gzip;q=0.000", "*;q=0",
                         "gzip;q=0, *", "gzipx", "*;q=0, deflate"}) {
    INFO(no);
    CHECK_FALSE(accepts_gzip(no));
  }
  std::vector<std::uint8_t> runs(1 << 20, 0x80);
  for (std::size_t i = 0; i < runs.size(); i += 4096)
    runs[i] = static_cast<std::uint8_t>(i >> 12);
  auto packed = gzip(runs);
  CHECK(packed.size() < runs.size() / 50);
  CHECK(gunzip(packed) == std::string(runs.begin(), runs.end()));
}

TEST_CASE("seek: routing and refusals", "[web][seek]") {
  Console c;
  c.backend.add_session(row(kBareId, "ops1", "srv01", SessionState::ended, 10));
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  auto get = [&](const std::string& target) {
    return c.request(http::verb::get, target, {{"Cookie", cookie}});
  };

  auto match = route(http::verb::get, seek_url(kId, "1500"));
  CHECK(match.id == RouteId::session_seek);
  CHECK(match.session_id == kId);
  CHECK(match.query["t"] == "1500");
  CHECK(route(http::verb::post, seek_url(kId, "1")).error == RouteError::method_not_allowed);

  CHECK(c.request(http::verb::get, seek_url(kId, "1000")).result_int() == 401);
  for (std::string t : {"", "-5", "abc", "1.5", "99999999999999999999", "1%200"}) {
    INFO(t);
    auto res = get(seek_url(kId, t));
    CHECK(res.result_int() == 400);
    CHECK(error_of(res).find("parameter t") != std::string::npos);
  }
  CHECK(get("/api/v1/sessions/" + std::string(kId) + "/seek").result_int() == 400);
  CHECK(get("/api/v1/sessions/..%2F..%2Fetc/seek?t=0").result_int() == 400);
  CHECK(get("/api/v1/sessions/-rf/seek?t=0").result_int() == 404);
  auto unknown = get(seek_url("5eec0000-0000-4000-8000-0000000000ff", "0"));
  CHECK(unknown.result_int() == 404);
  CHECK(error_of(unknown) == "no such session");
  auto bare = get(seek_url(kBareId, "0"));
  CHECK(bare.result_int() == 404);
  CHECK(error_of(bare) == "this session has no recording");
  auto past = get(seek_url(kId, "95000"));  // the recording lasts 95 s
  CHECK(past.result_int() == 416);
  CHECK(error_of(past).find("outside the recording") != std::string::npos);
}

TEST_CASE("seek: a full build queue answers 503 at once, with Retry-After", "[web][seek]") {
  Console c;
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");
  // Occupy every build thread and queue slot with jobs that wait for the gate.
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  auto& pool = c.app->seek_pool();
  std::atomic<int> running{0};
  for (int i = 0; i < WebApp::kSeekThreads; ++i) {
    REQUIRE(pool.try_post([open, &running] {
      ++running;
      open.wait();
    }));
  }
  for (int i = 0; i < 500 && running < WebApp::kSeekThreads; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(running == WebApp::kSeekThreads);
  std::size_t queued = 0;
  while (queued < 100 && pool.try_post([open] { open.wait(); }))
    ++queued;
  CHECK(queued == WebApp::kSeekQueue);

  auto started = std::chrono::steady_clock::now();
  auto busy = c.request(http::verb::get, seek_url(kId, "1000"), {{"Cookie", cookie}});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  CHECK(busy.result_int() == 503);
  CHECK(busy[http::field::retry_after] == "1");
  CHECK(error_of(busy).find("try again") != std::string::npos);
  // Other routes do not wait for the seek pool.
  CHECK(c.request(http::verb::get, "/api/v1/sessions", {{"Cookie", cookie}}).result_int() == 200);

  gate.set_value();
  for (int i = 0; i < 500 && pool.load() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(pool.load() == 0);
}

TEST_CASE("bounded pool: runs jobs, refuses when full, drops the queue on stop", "[web][seek]") {
  BoundedPool pool(1, 1);
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  std::atomic<int> ran{0};
  std::promise<void> first_running;
  REQUIRE(pool.try_post([&] {
    first_running.set_value();
    open.wait();
    ++ran;
  }));
  first_running.get_future().wait();
  CHECK(pool.try_post([&] { ++ran; }));        // queued
  CHECK_FALSE(pool.try_post([&] { ++ran; }));  // full
  CHECK(pool.load() == 2);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    gate.set_value();
  });
  pool.stop();  // drops the queued job at once, then waits for the running one
  release.join();
  CHECK(ran == 1);
  CHECK_FALSE(pool.try_post([&] { ++ran; }));
}

TEST_CASE("seek: a fragment of a real recording starts at the frame showing at t", "[web][seek]") {
  Console c;
  test::RecordedSessionSpec spec;
  spec.id = kRecordedId;
  spec.duration_ms = 30000;
  spec.segment_seconds = 60;  // one segment of 300 frames: its keyframe is 12 s before t
  auto rec = test::record_session(c.recordings(), spec);
  REQUIRE(rec.summary.complete);
  c.backend.add_session(row(kRecordedId, "ops1", "srv01", SessionState::ended, 10));
  auto [cookie, csrf] = c.sign_in("alice", "Alice-Pass-1");

  // Opening the session page warms the index (prepare), which must not disturb anything.
  CHECK(c.request(http::verb::get, std::string("/api/v1/sessions/") + kRecordedId,
                  {{"Cookie", cookie}})
            .result_int() == 200);
  auto res = c.request(http::verb::get, seek_url(kRecordedId, "12345"), {{"Cookie", cookie}});
  INFO(body_bytes(res).substr(0, 200));
  REQUIRE(res.result_int() == 200);
  CHECK(res[http::field::content_type] == "video/iso.segment");
  CHECK(res[http::field::cache_control].find("private") != std::string_view::npos);
  CHECK(res["X-Rdpw-Init"] == "init.mp4");
  CHECK(res["X-Rdpw-Segment"] == "1");
  auto start = std::stoll(std::string(res["X-Rdpw-Start-Ms"]));
  auto end = std::stoll(std::string(res["X-Rdpw-End-Ms"]));
  // The frame showing at 12345 ms in the recording as made: every 100 ms, unless the recorder
  // merged an update under load (its queue policy), so ask the recording itself.
  const auto frames = codec::FrameDecoder::decode_session(rec.dir);
  const auto* shown = codec::frame_at(frames, codec::SessionTime(12345));
  REQUIRE(shown != nullptr);
  CHECK(start == shown->pts.count());
  CHECK(start > 12345 - 1000);
  CHECK(end >= 29900);
  CHECK(end <= 30100);
  auto body = body_bytes(res);
  REQUIRE(body.size() > 16);
  CHECK(body.substr(4, 4) == "moof");
  CHECK(body.find("mdat") != std::string::npos);
  CHECK(res[http::field::content_encoding].empty());  // none asked for

  // A browser's request: the same fragment, gzipped (the intra picture is raw screen content).
  auto zipped = c.request(http::verb::get, seek_url(kRecordedId, "12345"),
                          {{"Cookie", cookie}, {"Accept-Encoding", "gzip, deflate, br"}});
  REQUIRE(zipped.result_int() == 200);
  CHECK(zipped[http::field::content_encoding] == "gzip");
  CHECK(zipped[http::field::vary] == "Accept-Encoding");
  CHECK(body_bytes(zipped).size() < body.size() / 4);
  CHECK(gunzip(body_bytes(zipped)) == body);

  // At the segment's own keyframe the fragment starts there too.
  auto at_zero = c.request(http::verb::get, seek_url(kRecordedId, "0"), {{"Cookie", cookie}});
  REQUIRE(at_zero.result_int() == 200);
  CHECK(at_zero["X-Rdpw-Start-Ms"] == "0");
}
