#include "recorder_failure.hpp"
#include <cerrno>

#include <fmt/format.h>

namespace rdpwarden::codec {

const char* to_string(RecorderFailureKind kind) {
  switch (kind) {
    case RecorderFailureKind::disk_full:
      return "disk_full";
    case RecorderFailureKind::unwritable:
      return "unwritable";
    case RecorderFailureKind::io_error:
      return "io_error";
    case RecorderFailureKind::encoder_error:
      return "encoder_error";
  }
  return "io_error";
}

RecorderFailure io_failure(std::error_code ec, std::string_view what) {
  RecorderFailureKind kind = RecorderFailureKind::io_error;
  if (ec.value() == ENOSPC || ec.value() == EDQUOT) kind = RecorderFailureKind::disk_full;
  if (ec.value() == EACCES || ec.value() == EPERM || ec.value() == EROFS)
    kind = RecorderFailureKind::unwritable;
  return {kind, fmt::format("{}: {}", what, ec.message())};
}

}  // namespace rdpwarden::codec
