#include "rdp/freerdp_runtime.hpp"
#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <string_view>

#include <freerdp/channels/channels.h>
#include <winpr/ssl.h>
#include <winpr/wlog.h>
#include <winpr/wtsapi.h>

#include "util/log.hpp"

namespace rdpwarden::server::rdp {
namespace {

// FreeRDP reports every protocol error it meets, including the ordinary end of a connection, so
// its errors are details for debugging; our own code logs the one meaningful line per event.
BOOL on_wlog_message(const wLogMessage* message) noexcept {
  try {
    if (!message || !message->TextString) return TRUE;
    std::string_view text{message->TextString};
    if (text.size() > 300) text = text.substr(0, 300);
    if (message->Level >= WLOG_FATAL)
      log::warn("freerdp: {}", text);
    else
      log::debug("freerdp: {}", text);
  } catch (...) {
    // A log line is never worth unwinding through FreeRDP's C frames.
  }
  return TRUE;
}

void configure_wlog() {
  wLog* root = WLog_GetRoot();
  if (!root) return;
  WLog_SetLogLevel(root, WLOG_WARN);
  WLog_SetLogAppenderType(root, WLOG_APPENDER_CALLBACK);
  wLogAppender* appender = WLog_GetLogAppender(root);
  if (!appender) return;
  wLogCallbacks callbacks{};
  callbacks.message = on_wlog_message;
  WLog_ConfigureAppender(appender, "callbacks", &callbacks);
}

// FreeRDP's H.264 encoder runs on libavcodec/libx264, whose default log callback prints to
// stderr at INFO. libav* belong to the codec module, so the server does not link them; the
// library is already loaded through FreeRDP, and its level is set by symbol lookup.
void quiet_libav() {
  using SetLevel = void (*)(int);
  if (auto* set_level = reinterpret_cast<SetLevel>(::dlsym(RTLD_DEFAULT, "av_log_set_level"))) {
    constexpr int kAvLogError = 16;
    set_level(kAvLogError);
  }
}

}  // namespace

void init_winpr_crypto() {
  static std::once_flag once;
  std::call_once(once, [] { winpr_InitializeSSL(WINPR_SSL_INIT_DEFAULT); });
}

void init_freerdp_runtime() {
  static std::once_flag once;
  std::call_once(once, [] {
    // The environment must not lower WLog's level (TRACE prints NTLM and PDU contents).
    ::unsetenv("WLOG_LEVEL");
    ::unsetenv("WLOG_FILTER");
    ::unsetenv("WLOG_APPENDER");
    configure_wlog();
    WTSRegisterWtsApiFunctionTable(FreeRDP_InitWtsApi());
    init_winpr_crypto();
    quiet_libav();
  });
}

}  // namespace rdpwarden::server::rdp
