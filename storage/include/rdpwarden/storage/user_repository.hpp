#pragma once
// Gateway users: name, role, the web password hash (scrypt) and the NT hash NLA needs (sealed).
// One password feeds both; `add` and `set_password` derive them, the cleartext is not kept.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>
#include <rdpwarden/storage/secret_bytes.hpp>

namespace rdpwarden::storage {

class Database;

struct UserLogon {
  User user;
  SecretBytes nt_hash;  // 16 bytes, unsealed
};

class UserRepository {
 public:
  explicit UserRepository(Database& db) : db_(db) {}

  // Throws InvalidInput (bad name, empty password), AlreadyExists ("user ops1 already exists").
  User add(std::string_view name, Role role, std::string_view password);
  std::optional<User> find(std::string_view name);
  User get(std::string_view name);  // throws NotFound ("no user named ops9")
  std::vector<User> list();         // by name
  void set_password(std::string_view name, std::string_view password);
  // Removes the user with their grants (their sessions stay, under their name). Returns the
  // number of grants removed.
  std::int64_t remove(std::string_view name);

  // NLA: the user and their unsealed NT hash; nullopt for an unknown name.
  std::optional<UserLogon> find_logon(std::string_view name);
  // The web console's sign-in: the user when `password` matches. An unknown name costs the
  // same time as a wrong password.
  std::optional<User> verify_web_password(std::string_view name, std::string_view password);

 private:
  Database& db_;
};

}  // namespace rdpwarden::storage
