#pragma once
// OpenSSL handles as unique_ptrs, made only by factories that check for null (KeyError).

#include <memory>

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/provider.h>

namespace rdpwarden::storage::crypto {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* p) const noexcept { EVP_CIPHER_CTX_free(p); }
};
struct KdfDeleter {
  void operator()(EVP_KDF* p) const noexcept { EVP_KDF_free(p); }
};
struct KdfCtxDeleter {
  void operator()(EVP_KDF_CTX* p) const noexcept { EVP_KDF_CTX_free(p); }
};
struct MdDeleter {
  void operator()(EVP_MD* p) const noexcept { EVP_MD_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct LibCtxDeleter {
  void operator()(OSSL_LIB_CTX* p) const noexcept { OSSL_LIB_CTX_free(p); }
};
struct ProviderDeleter {
  void operator()(OSSL_PROVIDER* p) const noexcept { OSSL_PROVIDER_unload(p); }
};

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;
using Kdf = std::unique_ptr<EVP_KDF, KdfDeleter>;
using KdfCtx = std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter>;
using Md = std::unique_ptr<EVP_MD, MdDeleter>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using LibCtx = std::unique_ptr<OSSL_LIB_CTX, LibCtxDeleter>;
using Provider = std::unique_ptr<OSSL_PROVIDER, ProviderDeleter>;

CipherCtx make_cipher_ctx();
Kdf fetch_kdf(OSSL_LIB_CTX* libctx, const char* name);
KdfCtx make_kdf_ctx(EVP_KDF* kdf);
Md fetch_md(OSSL_LIB_CTX* libctx, const char* name);
MdCtx make_md_ctx();
LibCtx make_lib_ctx();
Provider load_provider(OSSL_LIB_CTX* libctx, const char* name);

// The last OpenSSL error as text (for KeyError messages; never contains key material).
std::string last_openssl_error();

}  // namespace rdpwarden::storage::crypto
