#include "supervisor/tls_material.hpp"
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

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

void write_file(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  const auto tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot write {}", tmp));
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error(fmt::format("cannot write {}", tmp));
    }
    off += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  std::filesystem::rename(tmp, path);
}

}  // namespace

TlsMaterial load_tls_material(const Config& config) {
  std::filesystem::path cert = config.tls.certificate;
  std::filesystem::path key = config.tls.private_key;
  if (cert.empty()) {
    const auto dir = config.tls_dir();
    cert = dir / "rdpwarden.crt";
    key = dir / "rdpwarden.key";
    if (!std::filesystem::exists(cert) || !std::filesystem::exists(key)) {
      std::filesystem::create_directories(dir);
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
      auto made = rdp::make_self_signed_certificate("rdpwarden", 3650);
      write_file(key, made.private_key_pem.view(), 0600);
      write_file(cert, made.certificate_pem, 0644);
      log::info("generated a self-signed TLS certificate in {}", dir.string());
    }
  } else if (key.empty()) {
    throw std::runtime_error("tls.certificate is set but tls.private_key is not");
  }
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
