#pragma once
// The supervisor's side of admitting one session: answers its worker's requests (NTLM key,
// password check, authorization, certificate fingerprint) from the AccessService. One per
// worker; it remembers what this worker was told so a worker cannot ask for more than its one
// login needs.
//
// Threads: the supervisor's io thread only.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "supervisor/access_service.hpp"

namespace rdpwarden::server::supervisor {

// The gateway user a login names: "ops1" in "ops1#srv01" (the whole name when there is no '#',
// so that a user who forgot the target still authenticates and is then told what to type).
// The domain counts only when it holds the '#' (USER#DOMAIN\ACCOUNT@TARGET split by the client);
// otherwise it is a default the client added. nullopt when it cannot be a user name.
std::optional<std::string> gateway_user_of(std::string_view domain, std::string_view user);
// The part of the client's domain field that belongs to the username grammar (see above).
std::string_view grammar_domain(std::string_view domain);

// What admission checks beyond access: that the session can be recorded.
struct AdmissionRules {
  std::filesystem::path recordings_dir;
  std::uint64_t min_free_bytes = 256ull << 20;
  bool fail_closed = true;  // no recording, no session
};

class Admission {
 public:
  // At most this many NTLM keys per connection (a client retries once or twice).
  static constexpr int kMaxKeyRequests = 4;

  Admission(AccessService& access, AdmissionRules rules, std::string session_id,
            std::string client_address, int worker_pid);

  // Answers one request; the result is the response body (without "type" and "id").
  nlohmann::json handle(const nlohmann::json& request);

  bool authorized() const { return authorized_; }
  const std::string& typed_user() const { return typed_user_; }
  const SessionRecord& record() const { return record_; }

 private:
  nlohmann::json ntlm_key(const nlohmann::json& request);
  nlohmann::json verify_password(const nlohmann::json& request);
  nlohmann::json authorize(const nlohmann::json& request);
  nlohmann::json target_fingerprint(const nlohmann::json& request);
  std::optional<NtHash> hash_for(std::string_view domain, std::string_view user);

  AccessService& access_;
  AdmissionRules rules_;
  std::string session_id_;
  std::string client_address_;
  int worker_pid_;
  int key_requests_ = 0;
  std::string typed_user_;   // "DOMAIN\user" as the client sent it, for denial events
  std::string keyed_login_;  // the login an NTLM key or password check was given for
  bool authorized_ = false;
  bool authorize_asked_ = false;
  std::string target_;
  SessionRecord record_;
};

}  // namespace rdpwarden::server::supervisor
