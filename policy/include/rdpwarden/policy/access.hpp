#pragma once
// The access decision: may this user reach this target as this account, from here, now?
// Pure: the caller (the gateway) loads the user's grants for the target and the target's
// accounts, and acts on the verdict.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <rdpwarden/policy/network.hpp>
#include <rdpwarden/policy/target_request.hpp>

namespace rdpwarden::policy {

using TimePoint = std::chrono::system_clock::time_point;

struct AccountRef {
  std::string login;
  std::string domain;
};

struct GrantRule {
  std::string account_login;   // empty: any account of the target
  std::string account_domain;  // compared only when account_login is set
  std::optional<TimePoint> valid_from;
  std::optional<TimePoint> valid_until;
  std::vector<Network> source_networks;  // empty: any source
};

enum class Denial {
  none,
  no_grant,             // the user has no grant on this target
  not_yet_valid,        // every grant's window starts later
  expired,              // every grant's window has ended
  source_not_allowed,   // the client address is outside the grants' networks
  no_account,           // the target has no (matching) account
  account_ambiguous,    // several accounts fit and the username named none
  account_not_granted,  // the named account is not covered by a grant
};

struct AccessVerdict {
  Denial denial = Denial::none;
  AccountRef account;  // when allowed: the account to connect as
  bool allowed() const { return denial == Denial::none; }
};

std::string_view describe(Denial denial);

struct AccessRequest {
  TargetRequest target;
  std::optional<IpAddress> source;
  TimePoint now;
};

// `grants`: the user's grants on request.target.target; `accounts`: that target's accounts.
AccessVerdict decide_access(const AccessRequest& request, std::span<const GrantRule> grants,
                            std::span<const AccountRef> accounts);

}  // namespace rdpwarden::policy
