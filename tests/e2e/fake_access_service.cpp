#include "fake_access_service.hpp"
#include <fstream>

#include "rdp/nt_hash.hpp"

namespace rdpwarden::test {
using namespace server;

namespace {
const nlohmann::json& list(const nlohmann::json& scenario, const char* name) {
  static const nlohmann::json empty = nlohmann::json::array();
  auto it = scenario.find(name);
  return it != scenario.end() && it->is_array() ? *it : empty;
}
}  // namespace

FakeAccessService::FakeAccessService(const nlohmann::json& scenario, std::filesystem::path records)
    : scenario_(scenario), records_(std::move(records)) {}

void FakeAccessService::append(const nlohmann::json& record) {
  std::lock_guard lock(mutex_);
  std::ofstream out(records_, std::ios::app);
  out << record.dump() << "\n";
}

std::optional<supervisor::NtHash> FakeAccessService::user_nt_hash(std::string_view user) {
  for (const auto& u : list(scenario_, "users")) {
    if (u.value("name", "") == user) return rdp::nt_hash_of(u.value("password", ""));
  }
  return std::nullopt;
}

supervisor::AccessAnswer FakeAccessService::authorize(
    const policy::TargetRequest& request, const std::optional<policy::IpAddress>& source) {
  supervisor::AccessAnswer answer;
  const nlohmann::json* target = nullptr;
  for (const auto& t : list(scenario_, "targets")) {
    if (t.value("name", "") == request.target) target = &t;
  }
  std::vector<policy::GrantRule> grants;
  for (const auto& g : list(scenario_, "grants")) {
    if (g.value("user", "") != request.user || g.value("target", "") != request.target) continue;
    policy::GrantRule rule;
    rule.account_login = g.value("account", "");
    for (const auto& n : list(g, "networks")) {
      if (auto net = policy::parse_network(n.get<std::string>()))
        rule.source_networks.push_back(*net);
    }
    grants.push_back(rule);
  }
  std::vector<policy::AccountRef> accounts;
  for (const auto& a : list(scenario_, "accounts")) {
    if (a.value("target", "") == request.target)
      accounts.push_back({a.value("login", ""), a.value("domain", "")});
  }
  if (!target) grants.clear();
  const auto verdict =
      policy::decide_access({request, source, std::chrono::system_clock::now()}, grants, accounts);
  if (!verdict.allowed()) {
    answer.denial = rdp::SessionEnd::access_denied;
    answer.detail = std::string(policy::describe(verdict.denial));
    return answer;
  }
  auto& g = answer.grant;
  g.user = request.user;
  g.target = request.target;
  g.account_login = verdict.account.login;
  g.account_domain = verdict.account.domain;
  g.host = target->value("host", "127.0.0.1");
  g.port = target->value<std::uint16_t>("port", 3389);
  g.pinned_fingerprint = target->value("fingerprint", "");
  for (const auto& a : list(scenario_, "accounts")) {
    if (a.value("target", "") == request.target && a.value("login", "") == verdict.account.login)
      g.password = rdp::Secret(a.value("password", ""));
  }
  return answer;
}

void FakeAccessService::record_fingerprint(std::string_view target, std::string_view fingerprint) {
  append({{"event", "fingerprint"}, {"target", target}, {"fingerprint", fingerprint}});
}

void FakeAccessService::session_started(const supervisor::SessionRecord& record) {
  append({{"event", "session_started"},
          {"id", record.session_id},
          {"user", record.user},
          {"target", record.target},
          {"account", record.account},
          {"client", record.client_address}});
}

void FakeAccessService::session_ended(std::string_view session_id, rdp::SessionEnd reason,
                                      std::string_view detail) {
  append({{"event", "session_ended"},
          {"id", session_id},
          {"reason", rdp::to_string(reason)},
          {"detail", detail}});
}

void FakeAccessService::record_denial(std::string_view user, std::string_view client_address,
                                      rdp::SessionEnd reason, std::string_view detail) {
  append({{"event", "denial"},
          {"user", user},
          {"client", client_address},
          {"reason", rdp::to_string(reason)},
          {"detail", detail}});
}

}  // namespace rdpwarden::test
