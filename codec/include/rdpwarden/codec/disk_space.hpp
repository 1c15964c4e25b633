#pragma once
// Free-space admission check for recordings (fail-closed before a session starts).

#include <cstdint>
#include <filesystem>
#include <string>

namespace rdpwarden::codec {

struct SpaceCheck {
  bool ok = false;
  std::uint64_t free_bytes = 0;
  std::string message;  // one line when !ok: unwritable directory, or too little free space
};

// ok when `dir` exists (or can be created), is writable by this process and its file system
// has at least `min_free_bytes` available to unprivileged writers.
SpaceCheck check_recording_space(const std::filesystem::path& dir, std::uint64_t min_free_bytes);

}  // namespace rdpwarden::codec
