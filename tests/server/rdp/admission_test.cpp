#include <array>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/hmac.h>

#include "rdp/control_protocol.hpp"
#include "rdp/nt_hash.hpp"
#include "supervisor/admission.hpp"

using namespace rdpwarden;
using namespace rdpwarden::server;
using namespace rdpwarden::server::supervisor;

namespace {

struct FakeAccess final : AccessService {
  std::vector<SessionRecord> started;
  std::vector<std::string> fingerprints;
  std::optional<NtHash> user_nt_hash(std::string_view user) override {
    if (user != "ops1") return std::nullopt;
    auto h = server::rdp::nt_hash_of("Gw-pass-1");
    NtHash out{};
    std::copy(h->begin(), h->end(), out.begin());
    return out;
  }
  AccessAnswer authorize(const policy::TargetRequest& r,
                         const std::optional<policy::IpAddress>&) override {
    AccessAnswer a;
    if (r.target != "srv01") {
      a.denial = server::rdp::SessionEnd::access_denied;
      a.detail = "no grant for this target";
      return a;
    }
    a.grant.user = r.user;
    a.grant.target = r.target;
    a.grant.account_login = "administrator";
    a.grant.host = "10.0.0.5";
    a.grant.password = server::rdp::Secret(std::string_view("Vault-Secret-9"));
    return a;
  }
  void record_fingerprint(std::string_view, std::string_view fp) override {
    fingerprints.emplace_back(fp);
  }
  void session_started(const SessionRecord& record) override { started.push_back(record); }
  void session_ended(std::string_view, server::rdp::SessionEnd, std::string_view,
                     std::int64_t) override {}
  std::vector<std::string> live_sessions() override { return {}; }
  void session_interrupted(std::string_view, std::chrono::milliseconds, std::int64_t) override {}
  void record_segment(std::string_view, const RecordedSegment&) override {}
  void record_events(std::string_view, std::span<const RecordedEvent>) override {}
  void record_denial(std::string_view, std::string_view, server::rdp::SessionEnd,
                     std::string_view) override {}
  void record_kill(std::string_view, std::string_view) override {}
};

std::string hex(const unsigned char* p, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

// NTOWFv2 by its definition: HMAC-MD5(NT hash, UTF-16LE(UPPER(user) + domain)).
std::string ntowfv2(const std::string& password, const std::string& upper_user,
                    const std::string& domain) {
  auto nt = server::rdp::nt_hash_of(password);
  std::vector<unsigned char> data;
  for (char c : upper_user + domain) {
    data.push_back(static_cast<unsigned char>(c));
    data.push_back(0);
  }
  unsigned char out[16];
  unsigned int len = 0;
  HMAC(EVP_md5(), nt->data(), 16, data.data(), data.size(), out, &len);
  return hex(out, len);
}

nlohmann::json request(std::string_view method, const std::string& user,
                       const std::string& domain = "") {
  return {{"method", method}, {"user", user}, {"domain", domain}};
}

AdmissionRules rules() {
  AdmissionRules r;
  r.recordings_dir = std::filesystem::temp_directory_path();
  r.min_free_bytes = 0;
  return r;
}

}  // namespace

TEST_CASE("the NTLM key is NTOWFv2 of the user's stored hash for the login as typed") {
  FakeAccess access;
  Admission admission(access, rules(), "id-1", "192.0.2.7", 42);
  auto answer = admission.handle(request(server::rdp::kMethodNtlmKey, "ops1#srv01", "CORP"));
  CHECK(answer["key"] == ntowfv2("Gw-pass-1", "OPS1#SRV01", "CORP"));
  // An unknown user gets a key too, a different random one each time (fails like a wrong password).
  auto a = admission.handle(request(server::rdp::kMethodNtlmKey, "nobody#srv01"));
  auto b = admission.handle(request(server::rdp::kMethodNtlmKey, "nobody#srv01"));
  CHECK(a["key"].get<std::string>().size() == 32);
  CHECK(a["key"] != b["key"]);
  CHECK_FALSE(
      admission.handle(request(server::rdp::kMethodNtlmKey, "ops1#srv01")).contains("error"));
  CHECK(admission.handle(request(server::rdp::kMethodNtlmKey, "ops1#srv01")).contains("error"));
}

TEST_CASE("authorization is answered once, for the login that authenticated") {
  FakeAccess access;
  Admission admission(access, rules(), "id-1", "192.0.2.7", 42);
  // Before any authentication: refused as a broken worker.
  auto early = admission.handle(request(server::rdp::kMethodAuthorize, "ops1#srv01"));
  CHECK(early["allowed"] == false);
  CHECK(early["denial"] == "gateway-error");

  Admission ok(access, rules(), "id-2", "192.0.2.7", 42);
  ok.handle(request(server::rdp::kMethodNtlmKey, "ops1#srv01"));
  auto other = ok.handle(request(server::rdp::kMethodAuthorize, "ops2#srv01"));
  CHECK(other["allowed"] == false);
  Admission good(access, rules(), "id-3", "192.0.2.7", 42);
  good.handle(request(server::rdp::kMethodNtlmKey, "ops1#srv01"));
  auto granted = good.handle(request(server::rdp::kMethodAuthorize, "ops1#srv01"));
  CHECK(granted["allowed"] == true);
  CHECK(granted["password"] == "Vault-Secret-9");
  CHECK(granted["host"] == "10.0.0.5");
  REQUIRE(access.started.size() == 1);
  CHECK(access.started[0].session_id == "id-3");
  CHECK(access.started[0].worker_pid == 42);
  CHECK(good.handle(request(server::rdp::kMethodAuthorize, "ops1#srv01"))["allowed"] == false);
}

TEST_CASE("a username without a target is authenticated, then told what to type") {
  FakeAccess access;
  Admission admission(access, rules(), "id-4", "192.0.2.7", 42);
  auto key = admission.handle(request(server::rdp::kMethodNtlmKey, "ops1"));
  CHECK(key["key"] == ntowfv2("Gw-pass-1", "OPS1", ""));
  auto answer = admission.handle(request(server::rdp::kMethodAuthorize, "ops1"));
  CHECK(answer["allowed"] == false);
  CHECK(answer["denial"] == "bad-username");
  // A domain the client added on its own is not part of the name; a typed one is.
  CHECK(gateway_user_of("WORKSTATION", "ops1#srv01") == "ops1");
  CHECK(gateway_user_of("ops1#CORP", "administrator@srv01") == "ops1");
  CHECK(gateway_user_of("", "ops1#administrator@srv01") == "ops1");
  CHECK(gateway_user_of("", "bad name#srv01") == std::nullopt);
}

TEST_CASE("a password check in TLS-only mode compares NT hashes") {
  FakeAccess access;
  Admission admission(access, rules(), "id-5", "192.0.2.7", 42);
  auto right = server::rdp::nt_hash_of("Gw-pass-1");
  auto wrong = server::rdp::nt_hash_of("nope");
  nlohmann::json bad{{"method", server::rdp::kMethodVerifyPassword},
                     {"user", "ops1#srv01"},
                     {"nt_hash", hex(wrong->data(), 16)}};
  nlohmann::json good{{"method", server::rdp::kMethodVerifyPassword},
                      {"user", "ops1#srv01"},
                      {"nt_hash", hex(right->data(), 16)}};
  CHECK(admission.handle(bad)["ok"] == false);
  CHECK(admission.handle(good)["ok"] == true);
  CHECK(admission.handle(request(server::rdp::kMethodAuthorize, "ops1#srv01"))["allowed"] == true);
}
