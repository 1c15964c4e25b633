// events.jsonl from the recorder: keystrokes as text, clicks, lifecycle, and the switches.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recorder.hpp>

#include "recording_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace rdpwarden;
using codec::SessionTime;
using nlohmann::json;

namespace {

std::vector<json> events_of(const std::filesystem::path& dir) {
  std::vector<json> out;
  for (const auto& line : test::read_lines(dir / "events.jsonl"))
    out.push_back(json::parse(line));
  return out;
}

std::vector<json> of_kind(const std::vector<json>& all, const std::string& kind) {
  std::vector<json> out;
  for (const auto& e : all)
    if (e["kind"] == kind) out.push_back(e);
  return out;
}

void type_word(codec::Recorder& rec, std::initializer_list<std::uint16_t> scancodes, int& t) {
  for (auto sc : scancodes) {
    rec.on_key(0, sc, SessionTime(t += 50));
    rec.on_key(codec::kKeyRelease, sc, SessionTime(t += 30));
  }
}

}  // namespace

TEST_CASE("keystrokes become key and text events under the client's layout", "[events]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  auto rec = codec::Recorder::start(test::test_options(dir), observer);
  rec->on_event("session.start",
                R"({"user":"ops1","target":"srv01","account":"root","client":"127.0.0.1"})",
                SessionTime(0));
  rec->on_keyboard_layout(0x407, SessionTime(0));
  int t = 100;
  type_word(*rec, {0x15, 0x12, 0x13, 0x1e}, t);      // de: z e r a
  rec->on_key(0, 0x1c, SessionTime(t += 50));        // Enter
  rec->on_unicode(0, 0xD83D, SessionTime(t += 50));  // 😀 as a surrogate pair
  rec->on_unicode(0, 0xDE00, SessionTime(t));
  rec->on_unicode(codec::kKeyRelease, 0xDE00, SessionTime(t += 10));
  rec->on_mouse(0x8000 | 0x1000, 10, 20, SessionTime(t += 100));  // left click ends the line
  rec->on_mouse(0x0800, 11, 21, SessionTime(t += 10));            // a move is not an event
  rec->on_event("no.such.kind", "{}", SessionTime(t));
  rec->stop("client-disconnect", SessionTime(t + 1000));
  auto all = events_of(dir);
  REQUIRE(!all.empty());
  CHECK(all.front()["kind"] == "session.start");
  CHECK(all.front()["user"] == "ops1");
  auto keys = of_kind(all, "key");
  REQUIRE(keys.size() == 5);  // presses only
  CHECK(keys[0]["text"] == "z");
  CHECK(keys[0]["sc"] == 0x15);
  CHECK(keys[4]["name"] == "Return");
  auto texts = of_kind(all, "text");
  REQUIRE(texts.size() == 2);
  CHECK(texts[0]["line"] == "zera");
  CHECK(texts[0]["end"] == "enter");
  CHECK(texts[1]["line"] == "😀");
  CHECK(texts[1]["end"] == "focus");
  auto clicks = of_kind(all, "click");
  REQUIRE(clicks.size() == 1);
  CHECK(clicks[0]["button"] == "left");
  CHECK(clicks[0]["x"] == 10);
  CHECK(of_kind(all, "no.such.kind").empty());
  CHECK(rec->counters().events_dropped == 1);
  CHECK(all.back()["kind"] == "recording.stop");
  CHECK(all.back()["reason"] == "client-disconnect");
  // Events are in time order and the observer saw every written line.
  for (std::size_t i = 1; i < all.size(); ++i)
    CHECK(all[i]["t"].get<int>() >= all[i - 1]["t"].get<int>());
  CHECK(observer.events.size() == all.size());
}

TEST_CASE("with keystrokes off no key, unicode or text event is written", "[events]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  auto opts = test::test_options(dir);
  opts.keystrokes = false;
  auto rec = codec::Recorder::start(opts, observer);
  int t = 0;
  type_word(*rec, {0x19, 0x1e, 0x1f, 0x1f}, t);  // "pass"
  rec->on_key(0, 0x1c, SessionTime(t += 50));
  rec->on_unicode(0, 'x', SessionTime(t += 50));
  rec->on_mouse(0x8000 | 0x2000, 1, 2, SessionTime(t += 50));
  rec->stop("end", SessionTime(t + 100));
  auto all = events_of(dir);
  CHECK(of_kind(all, "key").empty());
  CHECK(of_kind(all, "unicode").empty());
  CHECK(of_kind(all, "text").empty());
  CHECK(of_kind(all, "click").size() == 1);
  auto raw = test::read_text(dir / "events.jsonl");
  CHECK(raw.find("pass") == std::string::npos);
}

TEST_CASE("malformed event fields are kept as an invalid marker, not lost", "[events]") {
  test::TempDir tmp;
  auto dir = tmp / "s";
  test::CollectingObserver observer;
  auto rec = codec::Recorder::start(test::test_options(dir), observer);
  rec->on_event("notice.shown", "{not json", SessionTime(5));
  rec->on_event("notice.shown", R"({"text":"This session is recorded","seconds":6,"t":99})",
                SessionTime(6));
  rec->stop("end", SessionTime(10));
  auto notices = of_kind(events_of(dir), "notice.shown");
  REQUIRE(notices.size() == 2);
  CHECK(notices[0]["fields_invalid"] == true);
  CHECK(notices[1]["text"] == "This session is recorded");
  CHECK(notices[1]["t"] == 6);  // the caller cannot override the clock
}
