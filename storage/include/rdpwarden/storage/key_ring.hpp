#pragma once
// The master keys that seal secrets at rest (AES-256-GCM), kept outside the database.
//
// Files (all 0600, in a 0700 directory; `dir` is the master key file's directory):
//   <master key file>      the current key: new secrets are sealed with it
//   <dir>/<id>.key         a key being introduced by a rotation in progress
//   <dir>/retired/<id>.key keys replaced by a rotation, kept so old backups stay readable
// Each file is one line "rdpwarden-key-v1 <id> <base64 of 32 bytes>"; the id (16 hex digits,
// derived from the key) is stored beside every ciphertext, so any known key can open it.
//
// A sealed blob is nonce(12) | ciphertext | tag(16). The `context` string (e.g.
// "account:42:password") is authenticated data: a blob copied onto another row does not open.
//
// Thread-safe. seal() notices a master key file replaced by `rdpwarden key rotate` in another
// process; unseal() re-reads the directory once when it meets an unknown key id.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rdpwarden/storage/secret_bytes.hpp>

namespace rdpwarden::storage {

struct SealedSecret {
  std::string key_id;
  std::vector<std::byte> blob;
};

class KeyRing {
 public:
  enum class IfMissing { create, fail };

  // Loads the master key file and the keys beside it. With IfMissing::create a missing master
  // key file is generated (0600, directory 0700). Throws KeyError with a one-line reason.
  static std::shared_ptr<KeyRing> open(const std::filesystem::path& master_key_file,
                                       IfMissing if_missing);

  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;
  ~KeyRing();

  std::string current_id() const;
  bool knows(std::string_view key_id) const;
  const std::filesystem::path& master_key_file() const { return master_file_; }

  SealedSecret seal(std::string_view context, std::span<const std::byte> plaintext) const;
  SealedSecret seal_with(std::string_view key_id, std::string_view context,
                         std::span<const std::byte> plaintext) const;
  // Throws KeyError when the key is unknown or the blob does not authenticate.
  SecretBytes unseal(std::string_view context, const SealedSecret& sealed) const;

  // Rotation, in this order (see key_rotation.hpp): stage a new key as <dir>/<id>.key, re-seal
  // everything with it in one transaction, then promote it to the master key file (the old one
  // moves to retired/). discard() removes a staged key whose transaction failed.
  std::string stage_new_key();
  void promote(const std::string& key_id);
  void discard(const std::string& key_id);

 private:
  struct Key;
  explicit KeyRing(std::filesystem::path master_file);
  void reload() const;
  void reload_if_master_changed() const;

  std::filesystem::path master_file_;
  mutable std::shared_mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const Key>, std::less<>> keys_;
  mutable std::string current_;
  mutable std::pair<std::uint64_t, std::int64_t> master_stamp_{};  // inode, mtime ns
};

}  // namespace rdpwarden::storage
