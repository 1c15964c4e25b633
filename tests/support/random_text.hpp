#pragma once
// Unpredictable text for test passwords and markers (std::random_device, i.e. the kernel's
// CSPRNG on Linux), from [A-Za-z0-9] so it survives shells, xdotool and RDP keyboards as typed.

#include <cstddef>
#include <string>

namespace rdpwarden::test {

std::string random_text(std::size_t length);

}  // namespace rdpwarden::test
