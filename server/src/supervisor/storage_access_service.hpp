#pragma once
// The AccessService on rdpwarden's database: users' NT hashes, targets, vaulted accounts and
// grants from the storage repositories, decisions by the policy module, session rows and audit
// entries written back.

#include <rdpwarden/storage/connection_pool.hpp>

#include "supervisor/access_service.hpp"

namespace rdpwarden::server::supervisor {

class StorageAccessService final : public AccessService {
 public:
  explicit StorageAccessService(storage::ConnectionPool& pool) : pool_(pool) {}

  std::optional<NtHash> user_nt_hash(std::string_view user) override;
  AccessAnswer authorize(const policy::TargetRequest& request,
                         const std::optional<policy::IpAddress>& source) override;
  void record_fingerprint(std::string_view target, std::string_view fingerprint) override;
  void session_started(const SessionRecord& record) override;
  void session_ended(std::string_view session_id, rdp::SessionEnd reason, std::string_view detail,
                     std::int64_t recording_bytes) override;
  std::vector<std::string> live_sessions() override;
  void session_interrupted(std::string_view session_id, std::chrono::milliseconds recorded,
                           std::int64_t recording_bytes) override;
  void record_segment(std::string_view session_id, const RecordedSegment& segment) override;
  void record_events(std::string_view session_id, std::span<const RecordedEvent> events) override;
  void record_denial(std::string_view user, std::string_view client_address, rdp::SessionEnd reason,
                     std::string_view detail) override;
  void record_kill(std::string_view session_id, std::string_view actor) override;

 private:
  storage::ConnectionPool& pool_;
};

// The session row's state for how a session ended.
std::string_view storage_state_for(rdp::SessionEnd end);

}  // namespace rdpwarden::server::supervisor
