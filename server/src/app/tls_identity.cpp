#include "app/tls_identity.hpp"
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "app/openssl_handles.hpp"

namespace rdpwarden::server::app {
namespace {

namespace fs = std::filesystem;

struct BnDeleter {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string read_bio(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

// Temp name, fsync, rename: a crash never leaves a half-written key or certificate.
void write_file_atomically(const fs::path& path, std::string_view bytes, mode_t mode) {
  auto tmp = path;
  tmp += ".tmp";
  FdGuard fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode));
  if (fd.get() < 0)
    throw std::runtime_error(
        fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
  ::fchmod(fd.get(), mode);
  std::size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(fd.get(), bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw std::runtime_error(
          fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error(
        fmt::format("cannot store {}: {}", path.string(), std::strerror(errno)));
}

X509Ptr load_certificate(const fs::path& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return nullptr;
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

PkeyPtr load_key(const fs::path& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return nullptr;
  return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

// The pair is readable, matches, and stays valid for 30 more days.
bool usable(const fs::path& cert_path, const fs::path& key_path) {
  auto cert = load_certificate(cert_path);
  auto key = load_key(key_path);
  if (!cert || !key || X509_check_private_key(cert.get(), key.get()) != 1) return false;
  std::time_t soon = std::time(nullptr) + 30 * 24 * 3600;
  return X509_cmp_time(X509_get0_notAfter(cert.get()), &soon) > 0;
}

std::string subject_alt_names() {
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') {
    std::string h(host);
    bool ok = std::all_of(h.begin(), h.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '-' || c == '.';
    });
    if (ok && h != "localhost") san += ",DNS:" + h;
  }
  return san;
}

void add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  auto ext = checked<X509ExtensionPtr>(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()),
                                       "certificate extension");
  if (X509_add_ext(cert, ext.get(), -1) != 1)
    throw std::runtime_error("OpenSSL: cannot add a certificate extension");
}

void generate(const fs::path& cert_path, const fs::path& key_path) {
  auto key = checked<PkeyPtr>(EVP_RSA_gen(2048), "RSA key");
  auto cert = checked<X509Ptr>(X509_new(), "certificate");
  auto serial = checked<BnPtr>(BN_new(), "serial number");
  bool ok = X509_set_version(cert.get(), 2) == 1 &&
            BN_rand(serial.get(), 120, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
            BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), 825L * 24 * 3600) != nullptr &&
            X509_set_pubkey(cert.get(), key.get()) == 1;
  X509_NAME* name = X509_get_subject_name(cert.get());
  auto text = [](const char* s) { return reinterpret_cast<const unsigned char*>(s); };
  ok = ok && X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, text("rdpwarden"), -1, -1, 0) &&
       X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, text("rdpwarden self-signed"), -1, -1,
                                  0) &&
       X509_set_issuer_name(cert.get(), name) == 1;
  if (!ok) throw std::runtime_error("OpenSSL: cannot fill in the certificate");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), NID_subject_alt_name, subject_alt_names());
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    throw std::runtime_error("OpenSSL: cannot sign the certificate");

  auto key_bio = checked<BioPtr>(BIO_new(BIO_s_mem()), "memory BIO");
  auto cert_bio = checked<BioPtr>(BIO_new(BIO_s_mem()), "memory BIO");
  if (PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1 ||
      PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1)
    throw std::runtime_error("OpenSSL: cannot encode the certificate");
  std::string key_pem = read_bio(key_bio.get());
  try {
    write_file_atomically(key_path, key_pem, 0600);
  } catch (...) {
    OPENSSL_cleanse(key_pem.data(), key_pem.size());
    throw;
  }
  OPENSSL_cleanse(key_pem.data(), key_pem.size());
  write_file_atomically(cert_path, read_bio(cert_bio.get()), 0644);
}

}  // namespace

TlsIdentity ensure_tls_identity(const Config& config) {
  if (!config.tls.certificate.empty()) {
    if (!load_certificate(config.tls.certificate))
      throw std::runtime_error(fmt::format("tls.certificate {}: not a readable PEM certificate",
                                           config.tls.certificate.string()));
    if (!load_key(config.tls.private_key))
      throw std::runtime_error(fmt::format("tls.private_key {}: not a readable PEM private key",
                                           config.tls.private_key.string()));
    return {config.tls.certificate, config.tls.private_key, false};
  }
  auto dir = config.tls_dir();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  ::chmod(dir.c_str(), 0700);
  auto lock_path = dir / ".lock";
  FdGuard lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (lock.get() < 0 || ::flock(lock.get(), LOCK_EX) != 0)
    throw std::runtime_error(
        fmt::format("cannot lock {}: {}", lock_path.string(), std::strerror(errno)));
  TlsIdentity id{dir / "cert.pem", dir / "key.pem", true};
  if (!usable(id.certificate, id.private_key)) generate(id.certificate, id.private_key);
  return id;  // the flock is released when `lock` closes
}

}  // namespace rdpwarden::server::app
