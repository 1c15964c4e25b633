// Events and segments against a real PostgreSQL.
#include <catch2/catch.hpp>

#include <rdpwarden/storage/errors.hpp>

#include "storage_fixture.hpp"

using namespace rdpwarden;
using namespace rdpwarden::test;

namespace {
struct RecordingFixture : StorageFixture {
  RecordingFixture() {
    auto user = db.users().add("ops1", storage::Role::user, "pw").id;
    auto target = db.targets().add({"srv01", "10.0.0.1", 3389, ""}).id;
    session = db.sessions().create(new_session(user, target));
  }
  std::string session;
};
const std::string kHash(64, 'a');
storage::SegmentRecord segment(int index) {
  return {index,      fmt::format("seg-{:06}.m4s", index),
          "init.mp4", (index - 1) * 30000,
          30000,      48213,
          kHash,      kHash};
}
}  // namespace

TEST_CASE("events are appended in batches and read back by kind and time") {
  RecordingFixture f;
  std::vector<storage::EventRecord> batch;
  batch.push_back({0, "session.start", R"({"user": "ops1", "target": "srv01"})"});
  for (int i = 1; i <= 500; ++i)
    batch.push_back({i * 10, "key", fmt::format(R"({{"sc": {}, "down": true}})", i % 100)});
  batch.push_back({6000, "text", R"({"line": "ünïcødé \"quoted\" \\ back", "end": "enter"})"});
  batch.push_back({7000, "session.end", ""});
  f.db.events().append(f.session, batch);

  auto all = f.db.events().list(f.session);
  REQUIRE(all.size() == batch.size());
  CHECK(all.front().kind == "session.start");
  CHECK(all.back().data_json == "{}");
  CHECK(all[501].data_json == R"({"end": "enter", "line": "ünïcødé \"quoted\" \\ back"})");
  for (std::size_t i = 1; i < all.size(); ++i)
    CHECK(all[i].seq > all[i - 1].seq);

  storage::EventQuery query;
  query.kinds = {"text", "session.end"};
  CHECK(f.db.events().list(f.session, query).size() == 2);
  storage::EventQuery window;
  window.from_ms = 100;
  window.until_ms = 200;
  CHECK(f.db.events().list(f.session, window).size() == 10);
  storage::EventQuery paged;
  paged.limit = 100;
  auto first = f.db.events().list(f.session, paged);
  REQUIRE(first.size() == 100);
  paged.after_seq = first.back().seq;
  auto second = f.db.events().list(f.session, paged);
  REQUIRE(second.size() == 100);
  CHECK(second.front().t_ms == 1000);
}

TEST_CASE("bad events are refused and nothing of the batch is stored") {
  RecordingFixture f;
  auto events = f.db.events();
  CHECK_THROWS_AS(events.append(f.session, std::vector<storage::EventRecord>{{1, "Key", ""}}),
                  storage::InvalidInput);
  CHECK_THROWS_AS(events.append(f.session, std::vector<storage::EventRecord>{{-1, "key", ""}}),
                  storage::InvalidInput);
  CHECK_THROWS_WITH(events.append(f.session, std::vector<storage::EventRecord>{{1, "key", "{}"},
                                                                               {2, "key", "[1]"}}),
                    Catch::Contains("not a JSON object"));
  CHECK_THROWS_WITH(events.append(f.session, std::vector<storage::EventRecord>{{1, "key", "{"}}),
                    Catch::Contains("not valid JSON"));
  CHECK(events.list(f.session).empty());
  CHECK_THROWS_AS(events.append("00000000-0000-0000-0000-000000000000",
                                std::vector<storage::EventRecord>{{1, "key", ""}}),
                  storage::NotFound);
}

TEST_CASE("segments are added once each and listed in order") {
  RecordingFixture f;
  f.db.segments().add(f.session, segment(2));
  f.db.segments().add(f.session, segment(1));
  auto list = f.db.segments().list(f.session);
  REQUIRE(list.size() == 2);
  CHECK(list[0].index == 1);
  CHECK(list[0].file == "seg-000001.m4s");
  CHECK(list[1].start_ms == 30000);
  CHECK(list[1].sha256 == kHash);
  CHECK_THROWS_MATCHES(f.db.segments().add(f.session, segment(2)), storage::AlreadyExists,
                       Catch::Message("segment 2 of session " + f.session + " already exists"));
  auto bad = segment(3);
  bad.sha256 = "XYZ";
  CHECK_THROWS_AS(f.db.segments().add(f.session, bad), storage::InvalidInput);
  CHECK_THROWS_AS(f.db.segments().add("00000000-0000-0000-0000-000000000000", segment(1)),
                  storage::NotFound);
}
