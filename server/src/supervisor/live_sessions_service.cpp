#include "supervisor/live_sessions_service.hpp"
#include <chrono>
#include <future>
#include <mutex>

#include <boost/asio/post.hpp>

namespace rdpwarden::server::supervisor {

struct LiveSessionsService::Core {
  boost::asio::io_context& io;
  LiveControl& control;
  std::mutex mutex;
  bool open = true;  // false once the service is gone: late handles do nothing

  // Runs `fn` on the io thread and waits for its result; `fallback` when it does not run in time.
  template <typename T, typename F>
  T on_io(F fn, T fallback) {
    if (io.get_executor().running_in_this_thread()) return fn();
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    boost::asio::post(io, [promise, fn = std::move(fn)]() mutable {
      try {
        promise->set_value(fn());
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    });
    if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) return fallback;
    return future.get();
  }
};

namespace {

class Handle final : public app::WatchHandle {
 public:
  Handle(std::weak_ptr<LiveSessionsService::Core> core, std::string session_id, int watch_id,
         Actor actor)
      : core_(std::move(core)),
        session_id_(std::move(session_id)),
        watch_id_(watch_id),
        actor_(std::move(actor)) {}

  ~Handle() override {
    auto core = core_.lock();
    if (!core) return;
    std::lock_guard lock(core->mutex);
    if (!core->open) return;
    // Not waited for: dropping a handle must not block the console.
    boost::asio::post(core->io, [core, id = session_id_, watch = watch_id_, actor = actor_] {
      core->control.unwatch(id, watch, actor);
    });
  }

 private:
  std::weak_ptr<LiveSessionsService::Core> core_;
  std::string session_id_;
  int watch_id_;
  Actor actor_;
};

}  // namespace

LiveSessionsService::LiveSessionsService(boost::asio::io_context& io, LiveControl& control)
    : core_(std::make_shared<Core>(io, control)) {}

LiveSessionsService::~LiveSessionsService() {
  std::lock_guard lock(core_->mutex);
  core_->open = false;
}

bool LiveSessionsService::is_live(std::string_view session_id) {
  return core_->on_io<bool>(
      [core = core_, id = std::string(session_id)] { return core->control.is_live(id); }, false);
}

app::LiveResult LiveSessionsService::control(const app::LiveCommand& command) {
  return core_->on_io<app::LiveResult>(
      [core = core_, command] { return core->control.apply(command, true); },
      app::LiveResult::not_live);
}

std::optional<app::LiveState> LiveSessionsService::state(std::string_view session_id) {
  return core_->on_io<std::optional<app::LiveState>>(
      [core = core_, id = std::string(session_id)] { return core->control.state(id); },
      std::nullopt);
}

std::unique_ptr<app::WatchHandle> LiveSessionsService::watch(
    std::string_view session_id, std::string_view actor, std::string_view actor_address,
    std::shared_ptr<app::LiveWatcher> watcher) {
  Actor who{std::string(actor), std::string(actor_address), true};
  const std::string id(session_id);
  auto watch_id = core_->on_io<std::optional<int>>(
      [core = core_, id, who, watcher] { return core->control.watch(id, who, watcher); },
      std::nullopt);
  if (!watch_id) return nullptr;
  return std::make_unique<Handle>(core_, id, *watch_id, who);
}

}  // namespace rdpwarden::server::supervisor
