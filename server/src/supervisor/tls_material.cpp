#include "supervisor/tls_material.hpp"
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "app/tls_identity.hpp"
#include "rdp/certificate.hpp"
#include "util/log.hpp"

namespace rdpwarden::server::supervisor {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TlsMaterial load_tls_material(const Config& config) {
  // The configured files, or the self-signed identity shared with the web console.
  const auto identity = app::ensure_tls_identity(config);
  const auto& cert = identity.certificate;
  const auto& key = identity.private_key;
  TlsMaterial out;
  out.certificate_pem = read_file(cert);
  out.private_key_pem = rdp::Secret(read_file(key));
  auto fingerprint = rdp::certificate_fingerprint(out.certificate_pem);
  if (!fingerprint)
    throw std::runtime_error(fmt::format("{} is not a PEM certificate", cert.string()));
  out.fingerprint = *fingerprint;
  return out;
}

}  // namespace rdpwarden::server::supervisor
