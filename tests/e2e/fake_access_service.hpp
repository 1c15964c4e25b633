#pragma once
// An in-memory AccessService for the gateway's tests until storage lands: users, targets,
// accounts and grants from a JSON scenario, decisions by the real policy code, and every
// session row and denial appended to a JSON-lines records file the test reads.

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <rdpwarden/policy/access.hpp>

#include "supervisor/access_service.hpp"

namespace rdpwarden::test {

class FakeAccessService final : public server::supervisor::AccessService {
 public:
  // scenario: {"users":[{"name","password"}], "targets":[{"name","host","port","fingerprint"}],
  //            "accounts":[{"target","login","domain","password"}], "grants":[{"user","target",
  //            "account","networks":[...]}]}
  FakeAccessService(const nlohmann::json& scenario, std::filesystem::path records);

  std::optional<server::supervisor::NtHash> user_nt_hash(std::string_view user) override;
  server::supervisor::AccessAnswer authorize(
      const policy::TargetRequest& request,
      const std::optional<policy::IpAddress>& source) override;
  void record_fingerprint(std::string_view target, std::string_view fingerprint) override;
  void session_started(const server::supervisor::SessionRecord& record) override;
  void session_ended(std::string_view session_id, server::rdp::SessionEnd reason,
                     std::string_view detail) override;
  void record_denial(std::string_view user, std::string_view client_address,
                     server::rdp::SessionEnd reason, std::string_view detail) override;

 private:
  void append(const nlohmann::json& record);

  nlohmann::json scenario_;
  std::filesystem::path records_;
  std::mutex mutex_;
};

}  // namespace rdpwarden::test
