#include "supervisor/admission.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <winpr/ntlm.h>

#include <rdpwarden/codec/disk_space.hpp>

#include "rdp/control_link.hpp"
#include "rdp/freerdp_runtime.hpp"
#include "rdp/utf16.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::supervisor {
namespace {

std::string hex(const std::uint8_t* data, std::size_t size) {
  std::string out;
  for (std::size_t i = 0; i < size; ++i)
    out += fmt::format("{:02x}", data[i]);
  return out;
}

std::optional<NtHash> parse_hash(const std::string& text) {
  if (text.size() != 32) return std::nullopt;
  NtHash hash{};
  for (std::size_t i = 0; i < hash.size(); ++i) {
    unsigned value = 0;
    if (std::sscanf(text.c_str() + 2 * i, "%2x", &value) != 1) return std::nullopt;
    hash[i] = static_cast<std::uint8_t>(value);
  }
  return hash;
}

std::string login_key(std::string_view domain, std::string_view user) {
  return domain.empty() ? std::string(user) : fmt::format("{}\\{}", domain, user);
}

NtHash random_hash() {
  NtHash hash{};
  RAND_bytes(hash.data(), static_cast<int>(hash.size()));
  return hash;
}

}  // namespace

std::string_view grammar_domain(std::string_view domain) {
  // A client may send a default domain of its own (a workstation or AD domain) with whatever was
  // typed. It belongs to the grammar only when the admin typed it: USER#DOMAIN\ACCOUNT@TARGET
  // arrives split at the backslash, so the domain then holds the '#'.
  return domain.find('#') == std::string_view::npos ? std::string_view{} : domain;
}

std::optional<std::string> gateway_user_of(std::string_view domain, std::string_view user) {
  const std::string full = login_key(grammar_domain(domain), user);
  const auto hash = full.find('#');
  std::string name = hash == std::string::npos ? full : full.substr(0, hash);
  if (!policy::is_valid_name(name)) return std::nullopt;
  return name;
}

Admission::Admission(AccessService& access, AdmissionRules rules, std::string session_id,
                     std::string client_address, int worker_pid)
    : access_(access),
      rules_(std::move(rules)),
      session_id_(std::move(session_id)),
      client_address_(std::move(client_address)),
      worker_pid_(worker_pid) {
  rdp::init_winpr_crypto();  // NTOWFv2 uses WinPR's HMAC-MD5
}

nlohmann::json Admission::handle(const nlohmann::json& request) {
  const auto method = request.value("method", "");
  if (method == rdp::kMethodNtlmKey) return ntlm_key(request);
  if (method == rdp::kMethodVerifyPassword) return verify_password(request);
  if (method == rdp::kMethodAuthorize) return authorize(request);
  if (method == rdp::kMethodTargetFingerprint) return target_fingerprint(request);
  return {{"error", "unknown method"}};
}

std::optional<NtHash> Admission::hash_for(std::string_view domain, std::string_view user) {
  typed_user_ = login_key(domain, user);
  auto name = gateway_user_of(domain, user);
  return name ? access_.user_nt_hash(*name) : std::nullopt;
}

nlohmann::json Admission::ntlm_key(const nlohmann::json& request) {
  if (++key_requests_ > kMaxKeyRequests) return {{"error", "too many attempts"}};
  const auto user = request.value("user", "");
  const auto domain = request.value("domain", "");
  // An unknown user gets a random key: the client then fails exactly like a wrong password.
  NtHash nt = hash_for(domain, user).value_or(random_hash());
  auto user16 = rdp::utf8_to_utf16(user);
  auto domain16 = rdp::utf8_to_utf16(domain);
  std::array<std::uint8_t, 16> key{};
  if (!user16 || !domain16 ||
      !NTOWFv2FromHashW(nt.data(), reinterpret_cast<LPWSTR>(user16->data()),
                        static_cast<UINT32>(user16->size() * 2),
                        reinterpret_cast<LPWSTR>(domain16->data()),
                        static_cast<UINT32>(domain16->size() * 2), key.data())) {
    RAND_bytes(key.data(), static_cast<int>(key.size()));
  }
  OPENSSL_cleanse(nt.data(), nt.size());
  keyed_login_ = login_key(domain, user);
  nlohmann::json answer{{"key", hex(key.data(), key.size())}};
  OPENSSL_cleanse(key.data(), key.size());
  return answer;
}

nlohmann::json Admission::verify_password(const nlohmann::json& request) {
  if (++key_requests_ > kMaxKeyRequests) return {{"ok", false}};
  const auto user = request.value("user", "");
  const auto domain = request.value("domain", "");
  auto typed = parse_hash(request.value("nt_hash", ""));
  auto stored = hash_for(domain, user);
  // Compare against a random hash for unknown users so both paths cost the same.
  const NtHash expected = stored.value_or(random_hash());
  const bool ok =
      typed && stored && CRYPTO_memcmp(typed->data(), expected.data(), expected.size()) == 0;
  if (ok) keyed_login_ = login_key(domain, user);
  return {{"ok", ok}};
}

nlohmann::json Admission::authorize(const nlohmann::json& request) {
  const auto user = request.value("user", "");
  const auto domain = request.value("domain", "");
  if (authorize_asked_ || keyed_login_.empty() || keyed_login_ != login_key(domain, user)) {
    // A worker asks once, for the login it authenticated; anything else is a broken worker.
    return {{"allowed", false},
            {"denial", rdp::to_string(rdp::SessionEnd::gateway_error)},
            {"detail", "authorization out of sequence"}};
  }
  authorize_asked_ = true;
  auto parsed = policy::parse_target_request(grammar_domain(domain), user);
  if (!parsed) {
    return {{"allowed", false},
            {"denial", rdp::to_string(rdp::SessionEnd::bad_username)},
            {"detail", "the username must be USER#TARGET or USER#ACCOUNT@TARGET"}};
  }
  auto answer = access_.authorize(*parsed, policy::parse_ip(client_address_));
  if (answer.denial) {
    return {
        {"allowed", false}, {"denial", rdp::to_string(*answer.denial)}, {"detail", answer.detail}};
  }
  if (const auto space = codec::check_recording_space(rules_.recordings_dir, rules_.min_free_bytes);
      !space.ok) {
    log::error("session {}: cannot record: {}", session_id_, space.message);
    if (rules_.fail_closed) {
      return {{"allowed", false},
              {"denial", rdp::to_string(rdp::SessionEnd::recording_failed)},
              {"detail", space.message}};
    }
  }
  auto& g = answer.grant;
  authorized_ = true;
  target_ = g.target;
  record_.session_id = session_id_;
  record_.user = g.user;
  record_.target = g.target;
  record_.account = g.account_login;
  record_.account_domain = g.account_domain;
  record_.client_address = client_address_;
  record_.worker_pid = worker_pid_;
  record_.started_at = std::chrono::system_clock::now();
  access_.session_started(record_);
  return {{"allowed", true},
          {"user", g.user},
          {"target", g.target},
          {"account_login", g.account_login},
          {"account_domain", g.account_domain},
          {"host", g.host},
          {"port", g.port},
          {"password", std::string(g.password.view())},
          {"fingerprint", g.pinned_fingerprint}};
}

nlohmann::json Admission::target_fingerprint(const nlohmann::json& request) {
  const auto fingerprint = request.value("fingerprint", "");
  if (authorized_ && !fingerprint.empty() && fingerprint.size() < 200)
    access_.record_fingerprint(target_, fingerprint);
  return nlohmann::json::object();
}

}  // namespace rdpwarden::server::supervisor
