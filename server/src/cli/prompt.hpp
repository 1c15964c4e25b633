#pragma once
// Passwords for the admin CLI: never from argv. Either one line on standard input
// (--password-stdin, for scripts) or typed at the terminal without echo, twice.

#include <string_view>

#include <rdpwarden/storage/secret_bytes.hpp>

namespace rdpwarden::server::cli {

// `what` names the password in the prompt ("password for user ops1"). Throws UsageError when
// there is no terminal to ask, the two entries differ, or the password is empty.
storage::SecretBytes read_new_password(std::string_view what, bool from_stdin);

}  // namespace rdpwarden::server::cli
