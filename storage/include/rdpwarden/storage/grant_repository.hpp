#pragma once
// Grants: which user may reach which target, through one account or any, when and from where.

#include <optional>
#include <vector>

#include <rdpwarden/storage/model.hpp>

namespace rdpwarden::storage {

class Database;

class GrantRepository {
 public:
  explicit GrantRepository(Database& db) : db_(db) {}

  // Throws NotFound (user, target, account), InvalidInput (a network, valid_until before
  // valid_from), AlreadyExists ("grant ops1 → srv01 already exists").
  Grant add(const NewGrant& grant);
  std::vector<Grant> list(const GrantFilter& filter = {});  // by user, target, account
  // What the gateway's access decision needs: the user's grants on one target.
  std::vector<Grant> for_user_on_target(RowId user_id, RowId target_id);
  void remove(const GrantKey& key);  // throws NotFound

 private:
  Database& db_;
};

}  // namespace rdpwarden::storage
