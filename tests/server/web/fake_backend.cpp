#include "server/web/fake_backend.hpp"
#include <algorithm>

#include <rdpwarden/storage/errors.hpp>

namespace rdpwarden::test {

using namespace server::web;

void FakeBackend::add_user(User user) {
  std::lock_guard lock(mutex_);
  users_.push_back(std::move(user));
}

void FakeBackend::add_session(SessionRow row, std::vector<std::string> typed_text) {
  std::lock_guard lock(mutex_);
  sessions_.push_back({std::move(row), std::move(typed_text)});
}

std::vector<AuditEntry> FakeBackend::audit() const {
  std::lock_guard lock(mutex_);
  return audit_;
}

int FakeBackend::password_checks() const {
  std::lock_guard lock(mutex_);
  return checks_;
}

void FakeBackend::set_unavailable(bool down) {
  std::lock_guard lock(mutex_);
  down_ = down;
}

void FakeBackend::check_up() const {
  if (down_) throw storage::Unavailable("database unavailable");
}

PasswordCheck FakeBackend::check_password(std::string_view user, std::string_view password) {
  std::lock_guard lock(mutex_);
  check_up();
  ++checks_;
  for (const auto& u : users_) {
    if (u.name != user) continue;
    if (u.disabled) return {PasswordVerdict::disabled, {}};
    if (u.password != password) return {PasswordVerdict::wrong, {}};
    return {PasswordVerdict::ok, {u.name, u.role}};
  }
  return {PasswordVerdict::unknown_user, {}};
}

SessionPage FakeBackend::list_sessions(const SessionQuery& q) {
  std::lock_guard lock(mutex_);
  check_up();
  std::vector<const Stored*> hits;
  for (const auto& s : sessions_) {
    const auto& r = s.row;
    if (!q.user.empty() && r.user != q.user) continue;
    if (!q.target.empty() && r.target != q.target) continue;
    if (!q.account.empty() && r.account != q.account) continue;
    if (q.state && r.state != *q.state) continue;
    if (q.started_from && r.started_at < *q.started_from) continue;
    if (q.started_until && r.started_at >= *q.started_until) continue;
    if (!q.text.empty() && std::none_of(s.typed.begin(), s.typed.end(), [&](const auto& t) {
          return t.find(q.text) != std::string::npos;
        }))
      continue;
    hits.push_back(&s);
  }
  std::sort(hits.begin(), hits.end(), [](const Stored* a, const Stored* b) {
    bool al = a->row.state == SessionState::live;
    bool bl = b->row.state == SessionState::live;
    if (al != bl) return al;
    return a->row.started_at > b->row.started_at;
  });
  SessionPage page;
  page.total = static_cast<std::int64_t>(hits.size());
  for (std::int64_t i = q.offset; i < page.total && i < q.offset + q.limit; ++i)
    page.rows.push_back(hits[static_cast<std::size_t>(i)]->row);
  return page;
}

std::optional<SessionRow> FakeBackend::find_session(std::string_view id) {
  std::lock_guard lock(mutex_);
  check_up();
  for (const auto& s : sessions_) {
    if (s.row.id == id) return s.row;
  }
  return std::nullopt;
}

void FakeBackend::append_audit(const AuditEntry& entry) {
  std::lock_guard lock(mutex_);
  check_up();
  audit_.push_back(entry);
}

}  // namespace rdpwarden::test
