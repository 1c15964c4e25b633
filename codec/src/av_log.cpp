#include "av_log.hpp"
#include <mutex>

extern "C" {
#include <libavutil/log.h>
}

namespace rdpwarden::codec::av {

void quiet_logs() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_level(AV_LOG_ERROR); });
}

}  // namespace rdpwarden::codec::av
