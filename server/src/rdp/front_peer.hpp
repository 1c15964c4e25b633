#pragma once
// The front side: the RDP server peer the admin's client talks to. It runs the connection
// sequence (TLS, NLA, capabilities), authenticates and authorizes the admin, starts the back
// side once the client is active, forwards input, and is the only thread that writes to the
// client (T-peer). Its whole life is run(): it returns when the session ends, having told the
// client why.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include <freerdp/peer.h>
#include <freerdp/server/disp.h>

#include "rdp/back_client.hpp"
#include "rdp/broker.hpp"
#include "rdp/duration_limit.hpp"
#include "rdp/freerdp_handles.hpp"
#include "rdp/front_auth.hpp"
#include "rdp/front_output.hpp"
#include "rdp/gfx_channel.hpp"
#include "rdp/session.hpp"

namespace rdpwarden::server::rdp {

class FrontPeer {
 public:
  // Called once the admin is authorized, before anything is sent onward: starts the recording.
  // False refuses the session (the recording cannot be made and that is fail-closed).
  using AdmitHook = std::function<bool(const TargetGrant& grant)>;

  FrontPeer(Session& session, Broker& broker, int socket_fd, AdmitHook admit);
  ~FrontPeer();
  FrontPeer(const FrontPeer&) = delete;
  FrontPeer& operator=(const FrontPeer&) = delete;

  // Runs the connection until the session ends, then closes it with the end reason.
  void run();
  // True once the client finished its first activation (the handshake is over).
  bool handshake_done() const { return handshake_done_.load(); }
  // Stops the back side; false when it did not stop in time.
  bool stop_back();

  // --- called from FreeRDP callbacks (front_callbacks.cpp), on this thread ---
  Session& session() { return session_; }
  std::optional<NtlmKey> on_ntlm_key(const Login& login) { return auth_.ntlm_key(login); }
  void on_logon(const Login& login, bool nla);
  bool on_capabilities();
  bool on_post_connect();
  bool on_activate();
  void on_synchronize(std::uint32_t flags);
  void on_keyboard(std::uint16_t flags, std::uint16_t code);
  void on_unicode(std::uint16_t flags, std::uint16_t code);
  void on_mouse(std::uint16_t flags, std::uint16_t x, std::uint16_t y, bool extended);
  void on_refresh() { output_->refresh(); }
  void on_suppress_output(bool allow) { output_->set_suppressed(!allow); }
  void on_monitor_layout(int width, int height);

 private:
  void configure();
  bool first_bytes_plausible();
  void loop();
  void drive_channels();
  void apply_controls();
  bool check_duration();  // false: the session ends now
  void log_statistics();
  void start_back();
  void deny(SessionEnd reason, std::string_view detail);
  void send_error_info(SessionEnd reason);
  void finish();
  static void close_gracefully(int fd);
  SessionEnd classify_disconnect() const;
  void end_on_channel_failure();
  std::uint32_t error_info_to_send(SessionEnd reason) const;

  Session& session_;
  Broker& broker_;
  AdmitHook admit_;
  PeerPtr peer_;
  VcmPtr vcm_;
  FrontAuthenticator auth_;
  std::unique_ptr<GfxChannel> gfx_;
  DispServerPtr disp_;
  std::unique_ptr<FrontOutput> output_;
  std::unique_ptr<BackClient> back_;
  BackOptions back_options_;
  std::atomic<bool> handshake_done_{false};
  bool mcs_connected_ = false;
  bool error_info_sent_ = false;
  bool back_reported_active_ = false;
  std::uint32_t toggle_flags_ = 0;
  std::chrono::steady_clock::time_point next_statistics_{};
  DurationLimit duration_limit_;
  bool toggles_sent_ = false;
  bool sockets_traced_ = false;
};

}  // namespace rdpwarden::server::rdp
