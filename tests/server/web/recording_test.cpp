// Reading recording folders: manifest validation, fragment timing, idle stretches, the
// streaming body writer.
#include <fstream>

#include <boost/beast/http/serializer.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "server/web/synthetic_recording.hpp"
#include "support/temp_dir.hpp"
#include "web/activity.hpp"
#include "web/fragment_reader.hpp"
#include "web/recording_store.hpp"
#include "web/response_body.hpp"

using namespace rdpwarden::server::web;
using nlohmann::json;
using rdpwarden::test::TempDir;

namespace {

json good_manifest() {
  return json::parse(R"({
    "format": "rdpwarden-recording", "version": 1, "session_id": "s1",
    "started_at": "2026-11-21T12:00:00.000Z", "complete": true, "end_reason": "client-disconnect",
    "duration_ms": 60000, "video": {"codec": "avc1.64002a", "timescale": 1000},
    "inits": [{"file": "init.mp4", "width": 1920, "height": 1080, "bytes": 800, "sha256": "x"}],
    "segments": [
      {"index": 1, "file": "seg-000001.m4s", "init": "init.mp4", "start_ms": 0,
       "duration_ms": 30000, "bytes": 10, "sha256": "a", "chain": "b"},
      {"index": 2, "file": "seg-000002.m4s", "init": "init.mp4", "start_ms": 30000,
       "duration_ms": 30000, "bytes": 10, "sha256": "a", "chain": "b"}],
    "thumbnails": {"interval_ms": 10000, "width": 256, "height": 144,
                   "files": [{"t": 0, "file": "thumbs/t-00000000.jpg"}]},
    "events": {"file": "events.jsonl"}})");
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("a well-formed manifest parses", "[web][recording]") {
  auto m = parse_manifest(good_manifest().dump());
  CHECK(m.session_id == "s1");
  CHECK(m.duration_ms == 60000);
  CHECK(m.codec == "avc1.64002a");
  REQUIRE(m.segments.size() == 2);
  CHECK(m.segments[1].start_ms == 30000);
  CHECK(m.inits[0].width == 1920);
  CHECK(m.thumbs.size() == 1);
}

TEST_CASE("hostile or broken manifests are rejected with a reason", "[web][recording][security]") {
  auto with = [](auto mutate) {
    auto j = good_manifest();
    mutate(j);
    return j.dump();
  };
  std::vector<std::string> bad = {
      "not json",
      with([](json& j) { j["format"] = "other"; }),
      with([](json& j) { j["version"] = 2; }),
      with([](json& j) { j["segments"][0]["file"] = "../../etc/passwd"; }),
      with([](json& j) { j["segments"][0]["file"] = "seg-000001.m4s/../../x"; }),
      with([](json& j) { j["segments"][0]["init"] = "other.mp4"; }),
      with([](json& j) { j["inits"][0]["file"] = "/etc/passwd"; }),
      with([](json& j) { j["thumbnails"]["files"][0]["file"] = "thumbs/../../../x.jpg"; }),
      with([](json& j) { j["video"]["codec"] = "avc1\"; evil"; }),
      with([](json& j) { j["segments"][1]["start_ms"] = -5; }),
      with([](json& j) {
        j["segments"][1]["start_ms"] = 10;
        j["segments"][0]["start_ms"] = 20;
      }),
      with([](json& j) { j["duration_ms"] = "long"; }),
      with([](json& j) { j["events"]["file"] = "../x"; }),
      with([](json& j) { j.erase("segments"); }),
  };
  for (const auto& text : bad) {
    INFO(text.substr(0, 200));
    CHECK_THROWS_AS(parse_manifest(text), std::runtime_error);
  }
}

TEST_CASE("the store refuses a manifest of another session and files it does not list",
          "[web][recording]") {
  TempDir dir;
  RecordingStore store(dir.path());
  write(dir / "s1/manifest.json", good_manifest().dump());
  auto loaded = store.manifest("s1");
  REQUIRE(loaded.status == RecordingStore::Status::ok);
  CHECK(store.media_file("s1", *loaded.manifest, "seg-000002.m4s") == dir / "s1/seg-000002.m4s");
  CHECK_FALSE(store.media_file("s1", *loaded.manifest, "seg-000003.m4s"));
  CHECK_FALSE(store.media_file("s1", *loaded.manifest, "manifest.json"));
  CHECK(store.manifest("missing").status == RecordingStore::Status::missing);
  std::filesystem::create_directories(dir / "s2");
  std::filesystem::copy_file(dir / "s1/manifest.json", dir / "s2/manifest.json");
  auto copied = store.manifest("s2");  // names s1 inside: not s2's recording
  CHECK(copied.status == RecordingStore::Status::invalid);
  CHECK(copied.problem.find("session_id") != std::string::npos);
}

TEST_CASE("frame times come from the fragment headers", "[web][recording][fmp4]") {
  TempDir dir;
  write(dir / "init.mp4", rdpwarden::test::synthetic_init(90000));
  write(dir / "seg.m4s", rdpwarden::test::synthetic_segment(900000, {9000, 45000, 90000}) +
                             rdpwarden::test::synthetic_segment(900000 + 144000, {90000}));
  std::string problem;
  auto timing = read_track_timing(dir / "init.mp4", problem);
  REQUIRE(timing);
  CHECK(timing->timescale == 90000);
  auto samples = read_samples(dir / "seg.m4s", *timing, problem);
  REQUIRE(samples);
  std::vector<std::int64_t> times;
  for (const auto& s : *samples)
    times.push_back(s.t_ms);
  CHECK(times == std::vector<std::int64_t>{10000, 10100, 10600, 11600});
  CHECK(samples->at(0).bytes == 128);
}

TEST_CASE("malformed fMP4 files are reported, not trusted", "[web][recording][fmp4][security]") {
  TempDir dir;
  std::string problem;
  write(dir / "empty.mp4", "");
  CHECK_FALSE(read_track_timing(dir / "empty.mp4", problem));
  write(dir / "huge.mp4", std::string("\xff\xff\xff\xffmoov", 8));
  CHECK_FALSE(read_track_timing(dir / "huge.mp4", problem));
  CHECK_FALSE(read_track_timing(dir / "nonexistent.mp4", problem));
  TrackTiming timing;
  // A trun claiming a billion samples in a few bytes.
  auto seg = rdpwarden::test::synthetic_segment(0, {1000, 1000});
  auto trun = seg.find("trun");
  REQUIRE(trun != std::string::npos);
  seg[trun + 8] = '\x3b';  // sample_count high byte
  write(dir / "liar.m4s", seg);
  CHECK_FALSE(read_samples(dir / "liar.m4s", timing, problem));
  write(dir / "cut.m4s", rdpwarden::test::synthetic_segment(0, {1000}).substr(0, 40));
  CHECK_FALSE(read_samples(dir / "cut.m4s", timing, problem));
  CHECK_FALSE(problem.empty());
}

TEST_CASE("idle stretches", "[web][recording]") {
  auto idle = idle_stretches({0, 100, 5000, 5100}, {7000}, 20000, 3000);
  REQUIRE(idle.size() == 2);
  CHECK(idle[0].start_ms == 100);
  CHECK(idle[0].end_ms == 5000);
  CHECK(idle[1].start_ms == 7000);
  CHECK(idle[1].end_ms == 20000);
  CHECK(idle_stretches({}, {}, 2000, 3000).empty());
  CHECK(idle_stretches({0, 2000, 4000}, {}, 6000, 3000).empty());
}

TEST_CASE("the body writer streams text, then file pieces", "[web][body]") {
  TempDir dir;
  write(dir / "a", "0123456789");
  write(dir / "b", std::string(200000, 'x') + "END");
  Response res{boost::beast::http::status::ok, 11};
  res.body().text = "head:";
  res.body().pieces = {{dir / "a", 2, 5}, {dir / "b", 199990, 13}, {dir / "a", 0, 0}};
  CHECK(ResponseBody::size(res.body()) == 23);
  ResponseBody::writer w(res.base(), res.body());
  boost::beast::error_code ec;
  w.init(ec);
  std::string out;
  bool more = true;
  while (more) {
    auto next = w.get(ec);
    REQUIRE_FALSE(ec);
    REQUIRE(next.has_value());
    out.append(static_cast<const char*>(next->first.data()), next->first.size());
    more = next->second;
  }
  CHECK(out == "head:23456xxxxxxxxxxEND");

  SECTION("a file that shrank is an error, not wrong bytes") {
    Response cut{boost::beast::http::status::ok, 11};
    cut.body().pieces = {{dir / "a", 5, 50}};
    ResponseBody::writer w2(cut.base(), cut.body());
    w2.init(ec);
    auto first = w2.get(ec);
    REQUIRE(first.has_value());
    CHECK(first->first.size() == 5);
    CHECK_FALSE(w2.get(ec).has_value());
    CHECK(ec);
  }
  SECTION("a symlink is not followed") {
    std::filesystem::create_symlink(dir / "a", dir / "link");
    Response l{boost::beast::http::status::ok, 11};
    l.body().pieces = {{dir / "link", 0, 3}};
    ResponseBody::writer w3(l.base(), l.body());
    w3.init(ec);
    CHECK_FALSE(w3.get(ec).has_value());
    CHECK(ec);
  }
}
