#pragma once
// Storage errors: every failure the database reports is mapped to one of these types, with a
// message fit to show an administrator in one line (never a secret, never a raw SQL statement).
//
//   StorageError            anything else the database reported ("database error: …")
//   ├─ Unavailable          the database cannot be reached, went away, or will not start
//   ├─ AlreadyExists        a unique name is taken ("user ops1 already exists")
//   ├─ NotFound             a named object does not exist ("no target named srv9")
//   ├─ ConstraintViolation  a reference or rule the schema enforces ("target srv01 still has …")
//   ├─ InvalidInput         a value the database rejects (a malformed network, time, address)
//   ├─ AppendOnlyViolation  an UPDATE, DELETE or TRUNCATE on the append-only audit log
//   ├─ TransientConflict    a serialization failure or deadlock: retrying may succeed
//   ├─ SchemaMismatch       the database was written by a newer rdpwarden, or a migration changed
//   └─ KeyError             the master key is missing, unreadable, too open, or a seal is broken

#include <stdexcept>
#include <string>

namespace rdpwarden::storage {

class StorageError : public std::runtime_error {
 public:
  explicit StorageError(const std::string& message, std::string sqlstate = {})
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  // The five-character SQLSTATE the server reported; empty when the error did not come from it.
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

class Unavailable : public StorageError {
 public:
  using StorageError::StorageError;
};

class AlreadyExists : public StorageError {
 public:
  using StorageError::StorageError;
};

class NotFound : public StorageError {
 public:
  using StorageError::StorageError;
};

class ConstraintViolation : public StorageError {
 public:
  using StorageError::StorageError;
};

class InvalidInput : public StorageError {
 public:
  using StorageError::StorageError;
};

class AppendOnlyViolation : public StorageError {
 public:
  using StorageError::StorageError;
};

class TransientConflict : public StorageError {
 public:
  using StorageError::StorageError;
};

class SchemaMismatch : public StorageError {
 public:
  using StorageError::StorageError;
};

class KeyError : public StorageError {
 public:
  using StorageError::StorageError;
};

}  // namespace rdpwarden::storage
