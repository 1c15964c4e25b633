#include <set>

#include <catch2/catch.hpp>

#include "rdp/session_end.hpp"

using namespace rdpwarden::server::rdp;

TEST_CASE("every session end has a unique stable name, a side and a client message") {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(SessionEnd::worker_crashed); ++i) {
    const auto end = static_cast<SessionEnd>(i);
    const auto name = std::string(to_string(end));
    CHECK(names.insert(name).second);
    CHECK(session_end_from_string(name) == end);
    CHECK(!describe(end).empty());
  }
  CHECK_FALSE(session_end_from_string("no-such-reason"));
}

TEST_CASE("the client is told why in the codes mstsc and xfreerdp know") {
  CHECK(error_info_for(SessionEnd::killed) == 0x1);             // ERRINFO_RPC_INITIATED_DISCONNECT
  CHECK(error_info_for(SessionEnd::access_denied) == 0x9);      // INSUFFICIENT_PRIVILEGES
  CHECK(error_info_for(SessionEnd::handshake_timeout) == 0x4);  // LOGON_TIMEOUT
  CHECK(error_info_for(SessionEnd::target_unreachable) == 0x400);  // CB_DESTINATION_NOT_FOUND
  CHECK(error_info_for(SessionEnd::client_disconnect) == 0);
  CHECK(is_abnormal(SessionEnd::worker_crashed));
  CHECK_FALSE(is_abnormal(SessionEnd::killed));
  CHECK(side_of(SessionEnd::target_disconnect) == EndSide::target);
}
