#include "rdp/certificate.hpp"

#include <catch2/catch.hpp>

using namespace rdpwarden::server::rdp;

TEST_CASE("a generated certificate has a SHA-256 fingerprint that compares in any spelling") {
  auto made = make_self_signed_certificate("rdpwarden", 30);
  CHECK(made.certificate_pem.find("BEGIN CERTIFICATE") != std::string::npos);
  CHECK(made.private_key_pem.view().find("PRIVATE KEY") != std::string::npos);
  auto fp = certificate_fingerprint(made.certificate_pem);
  REQUIRE(fp);
  CHECK(fp->size() == 7 + 64);
  std::string upper_colons;
  for (std::size_t i = 7; i < fp->size(); i += 2) {
    if (!upper_colons.empty()) upper_colons += ':';
    upper_colons += static_cast<char>(std::toupper((*fp)[i]));
    upper_colons += static_cast<char>(std::toupper((*fp)[i + 1]));
  }
  CHECK(same_fingerprint(*fp, upper_colons));
  CHECK_FALSE(same_fingerprint(*fp, "sha256:00"));
  CHECK_FALSE(same_fingerprint("", ""));
  CHECK_FALSE(certificate_fingerprint("not a certificate"));
}
