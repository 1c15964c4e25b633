#include <algorithm>
#include <cctype>

#include <rdpwarden/policy/access.hpp>

namespace rdpwarden::policy {
namespace {

// Windows account names compare case-insensitively.
bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool matches(const AccountRef& account, std::string_view login, std::string_view domain) {
  return same_name(account.login, login) && (domain.empty() || same_name(account.domain, domain));
}

const AccountRef* find_account(std::span<const AccountRef> accounts, std::string_view login,
                               std::string_view domain) {
  const AccountRef* found = nullptr;
  for (const auto& a : accounts) {
    if (matches(a, login, domain)) {
      if (found) return nullptr;  // ambiguous without a domain
      found = &a;
    }
  }
  return found;
}

// Why a grant does not apply now, or Denial::none when it does.
Denial check_window_and_source(const GrantRule& g, const AccessRequest& r) {
  if (g.valid_from && r.now < *g.valid_from) return Denial::not_yet_valid;
  if (g.valid_until && r.now >= *g.valid_until) return Denial::expired;
  if (!g.source_networks.empty()) {
    if (!r.source) return Denial::source_not_allowed;
    bool inside = std::any_of(g.source_networks.begin(), g.source_networks.end(),
                              [&](const Network& n) { return contains(n, *r.source); });
    if (!inside) return Denial::source_not_allowed;
  }
  return Denial::none;
}

}  // namespace

std::string_view describe(Denial denial) {
  switch (denial) {
    case Denial::none:
      return "allowed";
    case Denial::no_grant:
      return "no grant for this target";
    case Denial::not_yet_valid:
      return "the grant is not valid yet";
    case Denial::expired:
      return "the grant has expired";
    case Denial::source_not_allowed:
      return "connections from this address are not allowed";
    case Denial::no_account:
      return "the target has no matching account";
    case Denial::account_ambiguous:
      return "several accounts fit; name one as USER#ACCOUNT@TARGET";
    case Denial::account_not_granted:
      return "the grant does not cover this account";
  }
  return "denied";
}

AccessVerdict decide_access(const AccessRequest& request, std::span<const GrantRule> grants,
                            std::span<const AccountRef> accounts) {
  if (grants.empty()) return {Denial::no_grant, {}};

  std::vector<const GrantRule*> usable;
  Denial first_reason = Denial::none;
  for (const auto& g : grants) {
    Denial d = check_window_and_source(g, request);
    if (d == Denial::none) {
      usable.push_back(&g);
    } else if (first_reason == Denial::none) {
      first_reason = d;
    }
  }
  if (usable.empty()) return {first_reason, {}};

  const auto& want = request.target;
  if (!want.account.empty()) {
    const AccountRef* account = find_account(accounts, want.account, want.account_domain);
    if (!account) return {Denial::no_account, {}};
    for (const auto* g : usable) {
      if (g->account_login.empty() || matches(*account, g->account_login, g->account_domain))
        return {Denial::none, *account};
    }
    return {Denial::account_not_granted, {}};
  }

  // No account named: the grants' named accounts, or the target's only account.
  std::vector<AccountRef> candidates;
  bool any_account = false;
  for (const auto* g : usable) {
    if (g->account_login.empty()) {
      any_account = true;
      continue;
    }
    const AccountRef* a = find_account(accounts, g->account_login, g->account_domain);
    if (a && std::none_of(candidates.begin(), candidates.end(), [&](const AccountRef& c) {
          return matches(c, a->login, a->domain) && same_name(c.domain, a->domain);
        }))
      candidates.push_back(*a);
  }
  if (any_account) {
    if (accounts.size() == 1) return {Denial::none, accounts.front()};
    if (accounts.empty()) return {Denial::no_account, {}};
    if (candidates.size() == 1) return {Denial::none, candidates.front()};
    return {Denial::account_ambiguous, {}};
  }
  if (candidates.empty()) return {Denial::no_account, {}};
  if (candidates.size() > 1) return {Denial::account_ambiguous, {}};
  return {Denial::none, candidates.front()};
}

}  // namespace rdpwarden::policy
