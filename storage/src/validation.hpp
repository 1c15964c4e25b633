#pragma once
// Checks made before a value reaches the database, so the administrator gets a message about
// the value ("invalid user name …") rather than about a constraint.

#include <string>
#include <string_view>

namespace rdpwarden::storage {

// 1..64 of [A-Za-z0-9._-], starting with a letter or digit (the username grammar's names).
void require_name(std::string_view kind, std::string_view name);
// What the username grammar (policy/target_request) accepts: 1..256 printable characters
// without # \ / : " and at most one @ (a UPN).
void require_login(std::string_view login);
// The same without any @.
void require_domain(std::string_view domain);
void require_password(std::string_view password);
bool is_uuid(std::string_view text);
// "CORP\administrator" or "administrator".
std::string account_label(std::string_view login, std::string_view domain);

}  // namespace rdpwarden::storage
