#include "file_io.hpp"
#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>

#include <fmt/format.h>
#include <openssl/evp.h>

#include <rdpwarden/codec/recording_error.hpp>

namespace rdpwarden::codec {
namespace {

std::error_code last_error() {
  return {errno, std::generic_category()};
}

}  // namespace

AppendFile::~AppendFile() {
  close();
}

AppendFile::AppendFile(AppendFile&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

AppendFile& AppendFile::operator=(AppendFile&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

std::error_code AppendFile::open(const std::filesystem::path& path, bool append) {
  close();
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
  fd_ = ::open(path.c_str(), flags, 0640);
  return fd_ < 0 ? last_error() : std::error_code{};
}

std::error_code AppendFile::write(std::span<const std::uint8_t> bytes) {
  if (fd_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return {};
}

std::error_code AppendFile::sync() {
  if (fd_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  return ::fsync(fd_) != 0 ? last_error() : std::error_code{};
}

void AppendFile::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::error_code sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return last_error();
  std::error_code ec = ::fsync(fd) != 0 ? last_error() : std::error_code{};
  ::close(fd);
  return ec;
}

std::error_code write_file_atomic(const std::filesystem::path& path,
                                  std::span<const std::uint8_t> bytes) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  AppendFile file;
  if (auto ec = file.open(tmp, false)) return ec;
  if (auto ec = file.write(bytes)) return ec;
  if (auto ec = file.sync()) return ec;
  file.close();
  if (::rename(tmp.c_str(), path.c_str()) != 0) return last_error();
  return sync_directory(path.parent_path());
}

std::error_code write_file_atomic(const std::filesystem::path& path, std::string_view text) {
  return write_file_atomic(path, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordingError(fmt::format("cannot read {}", path.string()));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) throw RecordingError("EVP_MD_CTX_new failed");
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256::update(std::span<const std::uint8_t> bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
}

std::string Sha256::hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  EVP_DigestFinal_ex(ctx, digest, &size);
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i)
    out += fmt::format("{:02x}", digest[i]);
  return out;
}

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
  Sha256 sha;
  sha.update(bytes);
  return sha.hex();
}

std::string sha256_hex(std::string_view text) {
  return sha256_hex({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

}  // namespace rdpwarden::codec
