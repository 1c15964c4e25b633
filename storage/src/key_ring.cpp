#include <cerrno>
#include <cstring>
#include <mutex>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/key_ring.hpp>

#include "crypto/base64.hpp"
#include "crypto/openssl_handles.hpp"
#include "fs/files.hpp"

namespace rdpwarden::storage {
namespace {

constexpr std::string_view kMagic = "rdpwarden-key-v1";
constexpr std::size_t kKeyBytes = 32, kNonceBytes = 12, kTagBytes = 16;

std::string key_id_of(const SecretBytes& key) {
  // The id names the key without revealing it: a truncated hash under a fixed label.
  auto ctx = crypto::make_md_ctx();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  static constexpr std::string_view label = "rdpwarden key id";
  if (EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), label.data(), label.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), key.bytes().data(), key.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1)
    throw KeyError("SHA-256 failed: " + crypto::last_openssl_error());
  std::string id;
  for (int i = 0; i < 8; ++i)
    id += fmt::format("{:02x}", digest[i]);
  return id;
}

SecretBytes random_key() {
  auto key = SecretBytes::zeroed(kKeyBytes);
  if (RAND_priv_bytes(reinterpret_cast<unsigned char*>(key.data().data()),
                      static_cast<int>(kKeyBytes)) != 1)
    throw KeyError("no random bytes for a key: " + crypto::last_openssl_error());
  return key;
}

std::pair<std::uint64_t, std::int64_t> stamp_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {0, 0};
  return {st.st_ino, st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
}

}  // namespace

struct KeyRing::Key {
  std::string id;
  SecretBytes material;
};

KeyRing::KeyRing(std::filesystem::path master_file) : master_file_(std::move(master_file)) {}
KeyRing::~KeyRing() = default;

namespace {

SecretBytes key_line(const std::string& id, const SecretBytes& key) {
  std::string encoded = crypto::base64_encode(key.bytes());
  std::string line = fmt::format("{} {} {}\n", kMagic, id, encoded);
  SecretBytes out(line);
  OPENSSL_cleanse(encoded.data(), encoded.size());
  OPENSSL_cleanse(line.data(), line.size());
  return out;
}

// Only "<16 hex digits>.key" is ours: the directory may hold other keys (a TLS key, say).
bool is_key_file_name(const std::filesystem::path& path) {
  auto name = path.filename().string();
  if (name.size() != 20 || !name.ends_with(".key")) return false;
  for (std::size_t i = 0; i < 16; ++i) {
    char c = name[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void write_key_file(const std::filesystem::path& path, const std::string& id,
                    const SecretBytes& key) {
  SecretBytes line = key_line(id, key);
  try {
    fs::write_atomically(path, line.view(), 0600);
  } catch (const std::system_error& e) {
    throw KeyError(fmt::format("cannot write key file: {}", e.what()));
  }
}

// Reads one key file, refusing files others can read and lines that do not check out.
std::pair<std::string, SecretBytes> read_key_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0)
    throw KeyError(fmt::format("cannot read key file {}: {}", path.string(), std::strerror(errno)));
  if (!S_ISREG(st.st_mode))
    throw KeyError(fmt::format("key file {} is not a regular file", path.string()));
  if (st.st_mode & 077)
    throw KeyError(
        fmt::format("key file {} is accessible by other users (mode {:04o}); run: chmod "
                    "600 {}",
                    path.string(), st.st_mode & 07777, path.string()));
  SecretBytes content;
  try {
    content = fs::read_secret_file(path);
  } catch (const std::system_error& e) {
    throw KeyError(fmt::format("cannot read key file: {}", e.what()));
  }
  std::string_view text = content.view();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  auto bad = [&] {
    return KeyError(fmt::format("key file {} is not an rdpwarden key file", path.string()));
  };
  if (!text.starts_with(kMagic) || text.size() < kMagic.size() + 2 || text[kMagic.size()] != ' ')
    throw bad();
  text.remove_prefix(kMagic.size() + 1);
  auto space = text.find(' ');
  if (space == std::string_view::npos) throw bad();
  std::string id(text.substr(0, space));
  auto decoded = crypto::base64_decode(text.substr(space + 1));
  if (!decoded || decoded->size() != kKeyBytes) throw bad();
  SecretBytes key = SecretBytes::adopt(std::move(*decoded));
  if (key_id_of(key) != id)
    throw KeyError(
        fmt::format("key file {} is damaged (its id does not match its key)", path.string()));
  return {std::move(id), std::move(key)};
}

}  // namespace

std::shared_ptr<KeyRing> KeyRing::open(const std::filesystem::path& master_key_file,
                                       IfMissing if_missing) {
  std::shared_ptr<KeyRing> ring(new KeyRing(master_key_file));
  std::error_code ec;
  if (!std::filesystem::exists(master_key_file, ec)) {
    if (if_missing == IfMissing::fail)
      throw KeyError(fmt::format("master key file {} does not exist", master_key_file.string()));
    try {
      fs::make_private_dir(master_key_file.parent_path(), 0700);
    } catch (const std::system_error& e) {
      throw KeyError(fmt::format("cannot create the key directory: {}", e.what()));
    }
    // Two processes starting on a fresh install must not both make a key: one wins, the
    // other loads the winner's.
    auto key = random_key();
    auto line = key_line(key_id_of(key), key);
    try {
      fs::create_atomically(master_key_file, line.view(), 0600);
    } catch (const std::system_error& e) {
      throw KeyError(fmt::format("cannot write key file: {}", e.what()));
    }
  }
  ring->reload();
  return ring;
}

void KeyRing::reload() const {
  std::unique_lock lock(mutex_);
  auto stamp = stamp_of(master_file_);
  auto [current, current_key] = read_key_file(master_file_);
  std::map<std::string, std::shared_ptr<const Key>, std::less<>> keys;
  auto dir = master_file_.parent_path();
  for (const auto& folder : {dir, dir / "retired"}) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
      if (!is_key_file_name(entry.path()) || entry.path() == master_file_) continue;
      auto [id, key] = read_key_file(entry.path());
      keys.emplace(id, std::make_shared<const Key>(Key{id, std::move(key)}));
    }
  }
  keys[current] = std::make_shared<const Key>(Key{current, std::move(current_key)});
  keys_ = std::move(keys);
  current_ = current;
  master_stamp_ = stamp;
}

void KeyRing::reload_if_master_changed() const {
  auto stamp = stamp_of(master_file_);
  {
    std::shared_lock lock(mutex_);
    if (stamp == master_stamp_) return;
  }
  reload();
}

std::string KeyRing::current_id() const {
  reload_if_master_changed();
  std::shared_lock lock(mutex_);
  return current_;
}

bool KeyRing::knows(std::string_view key_id) const {
  std::shared_lock lock(mutex_);
  return keys_.find(key_id) != keys_.end();
}

SealedSecret KeyRing::seal(std::string_view context, std::span<const std::byte> plaintext) const {
  return seal_with(current_id(), context, plaintext);
}

SealedSecret KeyRing::seal_with(std::string_view key_id, std::string_view context,
                                std::span<const std::byte> plaintext) const {
  std::shared_ptr<const Key> key;
  {
    std::shared_lock lock(mutex_);
    auto it = keys_.find(key_id);
    if (it == keys_.end()) throw KeyError(fmt::format("no key with id {}", key_id));
    key = it->second;
  }
  SealedSecret sealed{key->id, std::vector<std::byte>(kNonceBytes + plaintext.size() + kTagBytes)};
  auto* out = reinterpret_cast<unsigned char*>(sealed.blob.data());
  if (RAND_bytes(out, static_cast<int>(kNonceBytes)) != 1)
    throw KeyError("no random bytes for a nonce: " + crypto::last_openssl_error());
  auto ctx = crypto::make_cipher_ctx();
  int n = 0;
  bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                               reinterpret_cast<const unsigned char*>(key->material.bytes().data()),
                               out) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &n,
                              reinterpret_cast<const unsigned char*>(context.data()),
                              static_cast<int>(context.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), out + kNonceBytes, &n,
                              reinterpret_cast<const unsigned char*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), out + kNonceBytes + n, &n) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                                out + kNonceBytes + plaintext.size()) == 1;
  if (!ok) throw KeyError("AES-256-GCM sealing failed: " + crypto::last_openssl_error());
  return sealed;
}

SecretBytes KeyRing::unseal(std::string_view context, const SealedSecret& sealed) const {
  if (!knows(sealed.key_id)) reload();
  std::shared_ptr<const Key> key;
  {
    std::shared_lock lock(mutex_);
    auto it = keys_.find(sealed.key_id);
    if (it == keys_.end())
      throw KeyError(fmt::format("a secret is sealed with key {}, which is not in {}",
                                 sealed.key_id, master_file_.parent_path().string()));
    key = it->second;
  }
  if (sealed.blob.size() < kNonceBytes + kTagBytes)
    throw KeyError(fmt::format("a sealed secret ({}) is truncated", context));
  std::size_t length = sealed.blob.size() - kNonceBytes - kTagBytes;
  const auto* in = reinterpret_cast<const unsigned char*>(sealed.blob.data());
  auto plain = SecretBytes::zeroed(length);
  auto* out = reinterpret_cast<unsigned char*>(plain.data().data());
  auto ctx = crypto::make_cipher_ctx();
  int n = 0;
  bool ok =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                         reinterpret_cast<const unsigned char*>(key->material.bytes().data()),
                         in) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &n,
                        reinterpret_cast<const unsigned char*>(context.data()),
                        static_cast<int>(context.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), out, &n, in + kNonceBytes, static_cast<int>(length)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                          const_cast<unsigned char*>(in + kNonceBytes + length)) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), out + n, &n) == 1;
  if (!ok) {
    plain.clear();
    throw KeyError(
        fmt::format("a sealed secret ({}) does not open with key {}: it was altered or "
                    "moved",
                    context, sealed.key_id));
  }
  return plain;
}

std::string KeyRing::stage_new_key() {
  auto key = random_key();
  auto id = key_id_of(key);
  write_key_file(master_file_.parent_path() / (id + ".key"), id, key);
  std::unique_lock lock(mutex_);
  keys_[id] = std::make_shared<const Key>(Key{id, std::move(key)});
  return id;
}

void KeyRing::promote(const std::string& key_id) {
  std::unique_lock lock(mutex_);
  auto it = keys_.find(key_id);
  if (it == keys_.end()) throw KeyError(fmt::format("no key with id {}", key_id));
  auto dir = master_file_.parent_path();
  // Retire what the master file holds now (another process may have rotated since we loaded).
  auto [old_id, old_key] = read_key_file(master_file_);
  try {
    fs::make_private_dir(dir / "retired", 0700);
  } catch (const std::system_error& e) {
    throw KeyError(fmt::format("cannot create the retired key directory: {}", e.what()));
  }
  // Every step leaves each key in at least one file, so a crash anywhere loses nothing.
  write_key_file(dir / "retired" / (old_id + ".key"), old_id, old_key);
  keys_.try_emplace(old_id, std::make_shared<const Key>(Key{old_id, std::move(old_key)}));
  write_key_file(master_file_, key_id, it->second->material);
  ::unlink((dir / (key_id + ".key")).c_str());
  current_ = key_id;
  master_stamp_ = stamp_of(master_file_);
}

void KeyRing::discard(const std::string& key_id) {
  std::unique_lock lock(mutex_);
  if (key_id == current_) return;
  ::unlink((master_file_.parent_path() / (key_id + ".key")).c_str());
  keys_.erase(key_id);
}

}  // namespace rdpwarden::storage
