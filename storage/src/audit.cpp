#include <array>

#include <rdpwarden/storage/audit.hpp>

namespace rdpwarden::storage {
namespace {

// In the order of the AuditAction enumerators.
constexpr std::array<std::string_view, 28> kActions{
    "user.add",           "user.remove",     "user.passwd",    "target.add",     "target.remove",
    "target.fingerprint", "account.add",     "account.remove", "account.passwd", "grant.add",
    "grant.remove",       "key.rotate",      "login.ok",       "login.fail",     "login.logout",
    "session.start",      "session.deny",    "session.view",   "session.play",   "session.download",
    "session.export",     "session.suspend", "session.resume", "session.kill",   "session.message",
    "session.watch",      "server.start",    "server.stop",
};
static_assert(static_cast<std::size_t>(AuditAction::server_stop) + 1 == kActions.size());

constexpr std::array<std::string_view, 4> kActorKinds{"cli", "web", "gateway", "system"};

}  // namespace

std::string_view to_string(AuditAction action) {
  return kActions.at(static_cast<std::size_t>(action));
}

std::optional<AuditAction> parse_audit_action(std::string_view text) {
  for (std::size_t i = 0; i < kActions.size(); ++i)
    if (kActions[i] == text) return static_cast<AuditAction>(i);
  return std::nullopt;
}

std::string_view to_string(ActorKind kind) {
  return kActorKinds.at(static_cast<std::size_t>(kind));
}

std::optional<ActorKind> parse_actor_kind(std::string_view text) {
  for (std::size_t i = 0; i < kActorKinds.size(); ++i)
    if (kActorKinds[i] == text) return static_cast<ActorKind>(i);
  return std::nullopt;
}

}  // namespace rdpwarden::storage
