#pragma once
// Durable file writing for recordings: every write reports errno instead of throwing (the
// recorder turns it into a RecorderFailure), and "durable" means fsynced file and directory.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <system_error>
#include <vector>

namespace rdpwarden::codec {

// An append-only file descriptor (O_CLOEXEC), closed on destruction.
class AppendFile {
 public:
  AppendFile() = default;
  ~AppendFile();
  AppendFile(AppendFile&& other) noexcept;
  AppendFile& operator=(AppendFile&& other) noexcept;
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  // Creates (truncating) or, with `append`, opens for appending.
  std::error_code open(const std::filesystem::path& path, bool append);
  std::error_code write(std::span<const std::uint8_t> bytes);
  std::error_code sync();
  void close();
  bool is_open() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// fsync of a directory, so a rename or a new file in it survives a power loss.
std::error_code sync_directory(const std::filesystem::path& dir);
// Writes `bytes` to `path` under a temporary name, fsyncs it, renames it over `path` and
// fsyncs the directory.
std::error_code write_file_atomic(const std::filesystem::path& path,
                                  std::span<const std::uint8_t> bytes);
std::error_code write_file_atomic(const std::filesystem::path& path, std::string_view text);
// Reads a whole file; throws RecordingError naming it.
std::vector<std::uint8_t> read_file(const std::filesystem::path& path);

// Hex SHA-256 (OpenSSL EVP), incrementally or at once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::span<const std::uint8_t> bytes);
  std::string hex();  // finishes; the object is reset for reuse

 private:
  void* ctx_;  // EVP_MD_CTX, kept out of the header
};
std::string sha256_hex(std::span<const std::uint8_t> bytes);
std::string sha256_hex(std::string_view text);

}  // namespace rdpwarden::codec
