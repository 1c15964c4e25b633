#include "rdp/certificate.hpp"
#include <array>
#include <cctype>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace rdpwarden::server::rdp {
namespace {

struct BioFree {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const noexcept { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string{};
}

std::string normalize(std::string_view fp) {
  if (fp.size() >= 7 && (fp.substr(0, 7) == "sha256:" || fp.substr(0, 7) == "SHA256:"))
    fp.remove_prefix(7);
  std::string out;
  for (char c : fp) {
    if (c == ':') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::optional<std::string> certificate_fingerprint(std::string_view pem) {
  BioPtr bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  if (!bio) return std::nullopt;
  X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
  if (!cert) return std::nullopt;
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (!X509_digest(cert.get(), EVP_sha256(), md.data(), &len)) return std::nullopt;
  std::string out = "sha256:";
  for (unsigned int i = 0; i < len; ++i)
    out += fmt::format("{:02x}", md[i]);
  return out;
}

bool same_fingerprint(std::string_view a, std::string_view b) {
  const auto na = normalize(a);
  return !na.empty() && na == normalize(b);
}

CertificateAndKey make_self_signed_certificate(std::string_view common_name, int days) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> kctx{EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr)};
  EVP_PKEY* raw_key = nullptr;
  if (!kctx || EVP_PKEY_keygen_init(kctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(kctx.get(), 2048) <= 0 ||
      EVP_PKEY_keygen(kctx.get(), &raw_key) <= 0)
    throw std::runtime_error("cannot generate an RSA key for the TLS certificate");
  PkeyPtr key{raw_key};

  X509Ptr cert{X509_new()};
  if (!cert) throw std::runtime_error("cannot allocate a certificate");
  std::array<unsigned char, 16> serial{};
  RAND_bytes(serial.data(), static_cast<int>(serial.size()));
  serial[0] &= 0x7f;  // a positive serial number
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn{
      BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr), &BN_free};
  X509_set_version(cert.get(), 2);
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())))
    throw std::runtime_error("cannot set the certificate serial number");
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn(common_name);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!X509_sign(cert.get(), key.get(), EVP_sha256()))
    throw std::runtime_error("cannot sign the TLS certificate");

  BioPtr cert_bio{BIO_new(BIO_s_mem())};
  BioPtr key_bio{BIO_new(BIO_s_mem())};
  if (!cert_bio || !key_bio || !PEM_write_bio_X509(cert_bio.get(), cert.get()) ||
      !PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr))
    throw std::runtime_error("cannot encode the TLS certificate");
  CertificateAndKey out;
  out.certificate_pem = bio_text(cert_bio.get());
  out.private_key_pem = Secret(bio_text(key_bio.get()));
  return out;
}

}  // namespace rdpwarden::server::rdp
