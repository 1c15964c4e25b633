#pragma once
// Mapping of errno values and exceptions to RecorderFailure.

#include <string_view>
#include <system_error>

#include <rdpwarden/codec/recorder_observer.hpp>

namespace rdpwarden::codec {

// ENOSPC/EDQUOT -> disk_full, EACCES/EPERM/EROFS -> unwritable, anything else -> io_error.
RecorderFailure io_failure(std::error_code ec, std::string_view what);

}  // namespace rdpwarden::codec
