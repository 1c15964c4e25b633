#pragma once
// Storage errors: every failure the database reports is mapped to one of these types, with a
// message fit to show an administrator (never a secret, never a raw SQL statement).

#include <stdexcept>
#include <string>

namespace rdpwarden::storage {

class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database cannot be reached or went away.
class Unavailable : public StorageError {
 public:
  using StorageError::StorageError;
};

// A name that must be unique already exists ("user ops1 already exists").
class AlreadyExists : public StorageError {
 public:
  using StorageError::StorageError;
};

// A named object does not exist ("no target named srv9").
class NotFound : public StorageError {
 public:
  using StorageError::StorageError;
};

// The change would break a reference or a rule the schema enforces.
class ConstraintViolation : public StorageError {
 public:
  using StorageError::StorageError;
};

}  // namespace rdpwarden::storage
