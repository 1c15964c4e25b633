#include "rdp/front_auth.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden::server;
using namespace rdpwarden::server::rdp;

namespace {

struct FakeBroker final : Broker {
  int key_calls = 0;
  int authorize_calls = 0;
  std::string good_password = "right";
  std::optional<NtlmKey> ntlm_key(const Login&) override {
    ++key_calls;
    return NtlmKey{1, 2, 3};
  }
  bool verify_password(const Login&, const Secret& password) override {
    return password.view() == good_password;
  }
  Authorization authorize(const Login& login) override {
    ++authorize_calls;
    Authorization a;
    a.grant.user = login.user;
    a.grant.password = Secret(std::string_view("vaulted"));
    return a;
  }
  void target_fingerprint(std::string_view) override {}
};

}  // namespace

TEST_CASE("NLA: keys are asked for a bounded number of attempts, authorization once") {
  FakeBroker broker;
  FrontAuthenticator auth(broker, RdpSecurity::nla);
  CHECK_FALSE(auth.attempted());
  for (int i = 0; i < FrontAuthenticator::kMaxKeyRequests; ++i)
    CHECK(auth.ntlm_key({"ops1#srv01", ""}));
  CHECK_FALSE(auth.ntlm_key({"ops1#srv01", ""}));
  CHECK(broker.key_calls == FrontAuthenticator::kMaxKeyRequests);
  CHECK(auth.attempted());
  CHECK_FALSE(auth.authenticated());
  CHECK(auth.authorize().denial == SessionEnd::authentication_failed);

  FrontAuthenticator ok(broker, RdpSecurity::nla);
  ok.nla_succeeded({"ops1#srv01", ""});
  CHECK(ok.authenticated());
  CHECK_FALSE(ok.authorize().denial);
  ok.authorize();
  CHECK(broker.authorize_calls == 1);
  auto grant = ok.take_grant();
  CHECK(grant.password.view() == "vaulted");
}

TEST_CASE("NLA: an absurd name is answered without asking the supervisor") {
  FakeBroker broker;
  FrontAuthenticator auth(broker, RdpSecurity::nla);
  auto key = auth.ntlm_key({std::string(5000, 'a'), ""});
  CHECK(key);  // a random key: the attempt fails like a wrong password
  CHECK(broker.key_calls == 0);
  auth.nla_succeeded({std::string(5000, 'a'), ""});
  CHECK_FALSE(auth.authenticated());
}

TEST_CASE("TLS-only: the Client Info password is checked") {
  FakeBroker broker;
  FrontAuthenticator wrong(broker, RdpSecurity::tls);
  CHECK_FALSE(wrong.check_password({"ops1#srv01", ""}, Secret(std::string_view("nope"))));
  CHECK_FALSE(wrong.check_password({"ops1#srv01", ""}, Secret()));
  FrontAuthenticator right(broker, RdpSecurity::tls);
  CHECK(right.check_password({"ops1#srv01", ""}, Secret(std::string_view("right"))));
  CHECK(right.login().user == "ops1#srv01");
}
