#include "rdp/nt_hash.hpp"

#include <winpr/ntlm.h>

#include "rdp/freerdp_runtime.hpp"
#include "rdp/secret.hpp"
#include "rdp/utf16.hpp"

namespace rdpwarden::server::rdp {

std::optional<NtHashBytes> nt_hash_of(std::string_view password_utf8) {
  init_winpr_crypto();  // OpenSSL 3 keeps MD4 in its legacy provider, which WinPR loads
  std::optional<std::u16string> wide =
      password_utf8.empty() ? std::u16string{} : utf8_to_utf16(password_utf8);
  if (!wide) return std::nullopt;
  NtHashBytes hash{};
  char16_t empty = 0;
  const bool ok = NTOWFv1W(reinterpret_cast<LPWSTR>(wide->empty() ? &empty : wide->data()),
                           static_cast<UINT32>(wide->size() * 2), hash.data()) == TRUE;
  wipe(wide->data(), wide->size() * 2);
  if (!ok) return std::nullopt;
  return hash;
}

}  // namespace rdpwarden::server::rdp
