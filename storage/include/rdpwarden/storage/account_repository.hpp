#pragma once
// Vaulted target accounts: login, domain and the password (sealed), per target.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/model.hpp>
#include <rdpwarden/storage/secret_bytes.hpp>

namespace rdpwarden::storage {

class Database;

class AccountRepository {
 public:
  explicit AccountRepository(Database& db) : db_(db) {}

  // Throws NotFound (target), InvalidInput (login, empty password), AlreadyExists.
  Account add(const AccountKey& key, std::string_view password);
  std::optional<Account> find(const AccountKey& key);
  // Throws NotFound, or InvalidInput when several domains share the login and none was given.
  Account get(const AccountKey& key);
  std::vector<Account> list(std::optional<std::string_view> target = std::nullopt);
  std::vector<Account> for_target(RowId target_id);
  SecretBytes password(RowId account_id);  // unsealed; throws NotFound, KeyError
  void set_password(const AccountKey& key, std::string_view password);
  // Without `cascade`, an account a grant names is refused; with it, those grants go too.
  // Returns the number of grants removed.
  std::int64_t remove(const AccountKey& key, bool cascade);

 private:
  Database& db_;
};

}  // namespace rdpwarden::storage
