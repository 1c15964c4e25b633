#pragma once
// The console as an auditor meets it, for the WebApp tests: a FakeBackend with an auditor and a
// user-role account, two sessions with synthetic recordings.

#include <chrono>
#include <string>

#include "server/web/synthetic_recording.hpp"
#include "server/web/web_app_support.hpp"

namespace rdpwarden::test {

inline constexpr const char* kId = "4b0c1d8e-0000-4000-8000-000000000001";
inline constexpr const char* kOtherId = "4b0c1d8e-0000-4000-8000-000000000002";

inline server::web::SessionRow row(std::string id, std::string user, std::string target,
                                   server::web::SessionState state, int minutes_ago) {
  server::web::SessionRow r;
  r.id = std::move(id);
  r.user = std::move(user);
  r.target = std::move(target);
  r.account = "administrator";
  r.client_address = "10.9.9.9";
  r.state = state;
  r.started_at = std::chrono::system_clock::now() - std::chrono::minutes(minutes_ago);
  r.duration_ms = 95000;
  r.bytes = 123456;
  r.end_reason = state == server::web::SessionState::live ? "" : "client-disconnect";
  return r;
}

struct Console : AppHarness {
  Console() {
    backend.add_user({"alice", "Alice-Pass-1", server::web::Role::auditor});
    backend.add_user({"ops1", "Ops-Pass-1", server::web::Role::user});
    backend.add_session(row(kId, "ops1", "srv01", server::web::SessionState::ended, 60),
                        {"sudo rm -rf /tmp/x"});
    backend.add_session(row(kOtherId, "ops2", "srv02", server::web::SessionState::live, 5), {"ls"});
    SyntheticRecording rec;
    rec.id = kId;
    rec.segments = {{0, 500, 1000, 9000}, {30000, 30100, 60000}, {60000, 61000}};
    rec.segments[1].pop_back();
    rec.duration_ms = 95000;
    rec.thumbnails = true;
    rec.events = {
        R"({"t":0,"kind":"session.start","user":"ops1","target":"srv01","account":"administrator","client":"10.9.9.9"})",
        R"({"t":1200,"kind":"key","sc":30,"ext":false,"down":true,"text":"a","name":"a"})",
        R"({"t":2000,"kind":"text","line":"sudo rm -rf /tmp/x","end":"enter"})",
        R"({"t":20000,"kind":"click","button":"left","x":10,"y":20})",
        "{torn line",
        R"({"t":95000,"kind":"session.end","reason":"client-disconnect"})"};
    write_synthetic_recording(recordings(), rec);
    // The other session has a recording with more segments: its files must not be reachable
    // through the first session's id.
    SyntheticRecording other;
    other.id = kOtherId;
    other.segments = {{0}, {30000}, {60000}, {90000}, {120000}};
    other.duration_ms = 121000;
    write_synthetic_recording(recordings(), other);
  }
  std::string media(const std::string& file) {
    return std::string("/api/v1/sessions/") + kId + "/media/" + file;
  }
};

}  // namespace rdpwarden::test
