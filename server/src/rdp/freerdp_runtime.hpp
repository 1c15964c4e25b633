#pragma once
// Process-wide FreeRDP/WinPR set-up, done once per process before any peer or client exists.

namespace rdpwarden::server::rdp {

// Registers the WTS API table, initialises OpenSSL for WinPR and routes WLog into our logger
// at WARN and above only: FreeRDP's lower levels can print protocol data, never wanted in logs.
void init_freerdp_runtime();

// Just WinPR's OpenSSL set-up, which loads OpenSSL 3's legacy provider: NTLM needs MD4.
// Enough for processes that compute NT hashes but run no RDP connection (the supervisor).
void init_winpr_crypto();

}  // namespace rdpwarden::server::rdp
