#pragma once
// OpenSSL handles as unique_ptrs, made only by factories that check for null (they throw
// std::runtime_error naming what could not be created).

#include <memory>
#include <stdexcept>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace rdpwarden::server::app {

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct X509ExtensionDeleter {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, X509ExtensionDeleter>;

template <typename Ptr>
Ptr checked(typename Ptr::pointer raw, std::string_view what) {
  if (!raw) throw std::runtime_error(std::string("OpenSSL: cannot create ") + std::string(what));
  return Ptr(raw);
}

}  // namespace rdpwarden::server::app
