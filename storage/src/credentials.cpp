#include <charconv>
#include <mutex>

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <rdpwarden/storage/credentials.hpp>
#include <rdpwarden/storage/errors.hpp>

#include "crypto/base64.hpp"
#include "crypto/openssl_handles.hpp"
#include "crypto/utf16.hpp"

namespace rdpwarden::storage {
namespace {

// scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, ~50 ms on one core). The stored string names its
// parameters, so raising them later only affects new and changed passwords.
constexpr int kLogN = 15;
constexpr int kR = 8;
constexpr int kP = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

struct ScryptParams {
  int log_n = kLogN;
  int r = kR;
  int p = kP;
};

// MD4 lives in the legacy provider; it is loaded into this private context only, so the
// process default (TLS, everything else) never offers legacy algorithms.
class LegacyContext {
 public:
  LegacyContext()
      : libctx_(crypto::make_lib_ctx()),
        legacy_(crypto::load_provider(libctx_.get(), "legacy")),
        base_(crypto::load_provider(libctx_.get(), "default")),
        md4_(crypto::fetch_md(libctx_.get(), "MD4")) {}
  const EVP_MD* md4() const { return md4_.get(); }

 private:
  crypto::LibCtx libctx_;
  crypto::Provider legacy_;
  crypto::Provider base_;
  crypto::Md md4_;
};

const LegacyContext& legacy_context() {
  static const LegacyContext context;  // thread-safe initialization
  return context;
}

SecretBytes scrypt(std::string_view password, std::span<const std::byte> salt,
                   const ScryptParams& params) {
  auto kdf = crypto::fetch_kdf(nullptr, "SCRYPT");
  auto ctx = crypto::make_kdf_ctx(kdf.get());
  std::uint64_t n = std::uint64_t{1} << params.log_n;
  std::uint32_t r = static_cast<std::uint32_t>(params.r), p = static_cast<std::uint32_t>(params.p);
  std::uint64_t maxmem = std::uint64_t{1} << 30;
  OSSL_PARAM ossl[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::byte*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end()};
  auto out = SecretBytes::zeroed(kHashBytes);
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data().data()), out.size(),
                     ossl) != 1)
    throw KeyError("scrypt failed: " + crypto::last_openssl_error());
  return out;
}

bool parse_int(std::string_view text, int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// "ln=15,r=8,p=1" with sane bounds (a hostile stored hash must not allocate gigabytes).
std::optional<ScryptParams> parse_params(std::string_view text) {
  ScryptParams params;
  if (!text.starts_with("ln=")) return std::nullopt;
  auto r_at = text.find(",r="), p_at = text.find(",p=");
  if (r_at == std::string_view::npos || p_at == std::string_view::npos || p_at < r_at)
    return std::nullopt;
  if (!parse_int(text.substr(3, r_at - 3), params.log_n) ||
      !parse_int(text.substr(r_at + 3, p_at - r_at - 3), params.r) ||
      !parse_int(text.substr(p_at + 3), params.p))
    return std::nullopt;
  if (params.log_n < 10 || params.log_n > 20 || params.r < 1 || params.r > 32 || params.p < 1 ||
      params.p > 16)
    return std::nullopt;
  return params;
}

}  // namespace

SecretBytes nt_hash(std::string_view password) {
  SecretBytes utf16 = crypto::utf8_to_utf16le(password);
  auto digest = SecretBytes::zeroed(16);
  unsigned int length = 0;
  if (EVP_Digest(utf16.bytes().data(), utf16.size(),
                 reinterpret_cast<unsigned char*>(digest.data().data()), &length,
                 legacy_context().md4(), nullptr) != 1 ||
      length != 16)
    throw KeyError("MD4 failed: " + crypto::last_openssl_error());
  return digest;
}

std::string hash_web_password(std::string_view password) {
  std::vector<std::byte> salt(kSaltBytes);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1)
    throw KeyError("no random bytes for a salt: " + crypto::last_openssl_error());
  ScryptParams params;
  auto hash = scrypt(password, salt, params);
  return fmt::format("$scrypt$ln={},r={},p={}${}${}", params.log_n, params.r, params.p,
                     crypto::base64_encode(salt, false),
                     crypto::base64_encode(hash.bytes(), false));
}

bool verify_web_password(std::string_view stored, std::string_view password) {
  // $scrypt$<params>$<salt>$<hash>
  if (!stored.starts_with("$scrypt$")) return false;
  std::string_view rest = stored.substr(8);
  auto a = rest.find('$');
  if (a == std::string_view::npos) return false;
  auto b = rest.find('$', a + 1);
  if (b == std::string_view::npos) return false;
  auto params = parse_params(rest.substr(0, a));
  auto salt = crypto::base64_decode(rest.substr(a + 1, b - a - 1));
  auto expected = crypto::base64_decode(rest.substr(b + 1));
  if (!params || !salt || !expected || salt->empty() || expected->size() != kHashBytes)
    return false;
  auto actual = scrypt(password, *salt, *params);
  return actual.equals(*expected);
}

void burn_web_password_verification(std::string_view password) {
  static const std::vector<std::byte> salt(kSaltBytes, std::byte{0x5a});
  (void)scrypt(password, salt, ScryptParams{});
}

}  // namespace rdpwarden::storage
