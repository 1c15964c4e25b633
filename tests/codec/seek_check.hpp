#pragma once
// Checks shared by the seek tests: the reference frames of a recording, and a seek fragment
// compared with them frame for frame, byte for byte (Catch assertions: tests only).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>

#include <rdpwarden/codec/seek_index.hpp>

#include "seek_fixture.hpp"

namespace rdpwarden::test {

// Every frame of the closed recording in `rec` (init.mp4 + its first `segments` segments), by
// pts, decoded from the keyframes; `scratch` is a file to write the concatenation to.
std::map<std::int64_t, YuvFrame> reference_frames(const std::filesystem::path& rec,
                                                  const std::filesystem::path& scratch,
                                                  int segments);

// Decodes init + fragment and checks every frame against `ref`; returns the count.
std::size_t check_fragment(const std::filesystem::path& rec, const codec::SeekFragment& f,
                           const std::map<std::int64_t, YuvFrame>& ref,
                           const std::filesystem::path& scratch);

}  // namespace rdpwarden::test
