#pragma once
// A test double of web::Backend for unit and socket-level tests of the console: users with
// plain passwords, sessions in a vector, audit entries recorded for assertions. Filtering and
// ordering follow the Backend contract (live first, then newest). Thread-safe.

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "web/backend.hpp"

namespace rdpwarden::test {

class FakeBackend : public server::web::Backend {
 public:
  struct User {
    std::string name;
    std::string password;
    server::web::Role role = server::web::Role::auditor;
    bool disabled = false;
  };

  void add_user(User user);
  void add_session(server::web::SessionRow row, std::vector<std::string> typed_text = {});
  std::vector<server::web::AuditEntry> audit() const;
  int password_checks() const;
  // Makes every call throw storage::Unavailable (the database went away).
  void set_unavailable(bool down);

  server::web::PasswordCheck check_password(std::string_view user,
                                            std::string_view password) override;
  server::web::SessionPage list_sessions(const server::web::SessionQuery& query) override;
  std::optional<server::web::SessionRow> find_session(std::string_view id) override;
  void append_audit(const server::web::AuditEntry& entry) override;

 private:
  void check_up() const;

  mutable std::mutex mutex_;
  std::vector<User> users_;
  struct Stored {
    server::web::SessionRow row;
    std::vector<std::string> typed;
  };
  std::vector<Stored> sessions_;
  std::vector<server::web::AuditEntry> audit_;
  int checks_ = 0;
  bool down_ = false;
};

}  // namespace rdpwarden::test
