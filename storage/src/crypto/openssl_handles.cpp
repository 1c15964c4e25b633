#include "crypto/openssl_handles.hpp"
#include <string>

#include <fmt/format.h>
#include <openssl/err.h>

#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::storage::crypto {
namespace {

template <typename T>
T checked(T handle, const char* what) {
  if (!handle) throw KeyError(fmt::format("OpenSSL: {} failed: {}", what, last_openssl_error()));
  return handle;
}

}  // namespace

std::string last_openssl_error() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

CipherCtx make_cipher_ctx() {
  return checked(CipherCtx(EVP_CIPHER_CTX_new()), "EVP_CIPHER_CTX_new");
}
Kdf fetch_kdf(OSSL_LIB_CTX* libctx, const char* name) {
  return checked(Kdf(EVP_KDF_fetch(libctx, name, nullptr)), name);
}
KdfCtx make_kdf_ctx(EVP_KDF* kdf) {
  return checked(KdfCtx(EVP_KDF_CTX_new(kdf)), "EVP_KDF_CTX_new");
}
Md fetch_md(OSSL_LIB_CTX* libctx, const char* name) {
  return checked(Md(EVP_MD_fetch(libctx, name, nullptr)), name);
}
MdCtx make_md_ctx() {
  return checked(MdCtx(EVP_MD_CTX_new()), "EVP_MD_CTX_new");
}
LibCtx make_lib_ctx() {
  return checked(LibCtx(OSSL_LIB_CTX_new()), "OSSL_LIB_CTX_new");
}
Provider load_provider(OSSL_LIB_CTX* libctx, const char* name) {
  return checked(Provider(OSSL_PROVIDER_load(libctx, name)), name);
}

}  // namespace rdpwarden::storage::crypto
