#pragma once
// The gateway's TLS certificate toward admins: the configured files, or a self-signed
// certificate generated once into <data-dir>/tls (key file mode 0600).

#include <string>

#include <rdpwarden/server/config.hpp>

#include "rdp/secret.hpp"

namespace rdpwarden::server::supervisor {

struct TlsMaterial {
  std::string certificate_pem;
  rdp::Secret private_key_pem;
  std::string fingerprint;  // sha256:..., what admins can check on first connect
};

// Throws std::runtime_error with a one-line reason (unreadable file, not a certificate...).
TlsMaterial load_tls_material(const Config& config);

}  // namespace rdpwarden::server::supervisor
