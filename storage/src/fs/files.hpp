#pragma once
// Small durable-file helpers shared by the key ring and the embedded cluster.

#include <filesystem>
#include <string_view>
#include <sys/types.h>

#include <rdpwarden/storage/secret_bytes.hpp>

namespace rdpwarden::storage::fs {

// Writes `content` to a temporary name beside `path` (mode `mode`), fsyncs it, renames it over
// `path` and fsyncs the directory. Throws std::system_error.
void write_atomically(const std::filesystem::path& path, std::string_view content, mode_t mode);

// Like write_atomically, but only when `path` does not exist yet (link(2) instead of rename):
// of several processes creating the same file at once, exactly one wins. Returns false when
// the file already existed (and leaves it untouched).
bool create_atomically(const std::filesystem::path& path, std::string_view content, mode_t mode);

// Reads a whole small file into wiped-on-destruction memory. Throws std::system_error.
SecretBytes read_secret_file(const std::filesystem::path& path);

// Creates `dir` (and its parents) when missing, with exactly `mode` on `dir`; an existing
// directory is left as it is. Returns true when it created `dir`.
bool make_private_dir(const std::filesystem::path& dir, mode_t mode);

// fsync(2) on a directory, so a rename inside it is durable.
void sync_dir(const std::filesystem::path& dir);

}  // namespace rdpwarden::storage::fs
