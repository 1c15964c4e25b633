#pragma once
// X.509 helpers for both sides of the gateway: the fingerprint the back side pins targets by,
// and the self-signed certificate the front side uses when none is configured.

#include <optional>
#include <string>
#include <string_view>

#include "rdp/secret.hpp"

namespace rdpwarden::server::rdp {

// "sha256:" + lowercase hex of the SHA-256 of the certificate's DER encoding; nullopt when the
// PEM does not parse.
std::optional<std::string> certificate_fingerprint(std::string_view pem);

// Whether two fingerprints name the same certificate, ignoring case, ':' separators and an
// optional "sha256:" prefix (so "AB:CD:..." from a GUI compares equal to ours).
bool same_fingerprint(std::string_view a, std::string_view b);

struct CertificateAndKey {
  std::string certificate_pem;
  Secret private_key_pem;
};

// A fresh self-signed RSA-2048 certificate for `common_name`, valid for `days`.
// Throws std::runtime_error on failure.
CertificateAndKey make_self_signed_certificate(std::string_view common_name, int days);

}  // namespace rdpwarden::server::rdp
