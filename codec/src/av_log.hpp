#pragma once
// libav* log to stderr by default (x264 prints its settings for every encoder opened). The
// gateway logs for administrators, one line per meaningful event: only FFmpeg errors pass.

namespace rdpwarden::codec::av {

void quiet_logs();  // idempotent, thread-safe

}  // namespace rdpwarden::codec::av
