#include "server/web/recorder_live_sessions.hpp"
#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace rdpwarden::test {

using server::app::LiveResult;

// The recorder's one LiveSubscriber, relaying to every watcher. A watcher joins with the latest
// init and then waits for a keyframe (the recorder sends one when asked).
class RecorderLiveSessions::Fanout : public codec::LiveSubscriber {
 public:
  struct Entry {
    std::shared_ptr<server::app::LiveWatcher> watcher;
    bool started = false;  // has seen a keyframe
  };

  void on_live_init(std::span<const std::byte> init, std::string_view codec, int width,
                    int height) override {
    std::lock_guard lock(mutex);
    init_.assign(init.begin(), init.end());
    codec_ = codec;
    width_ = width;
    height_ = height;
    for (auto& [id, e] : entries) {
      e.watcher->on_init(init, codec, width, height);
      e.started = false;
    }
  }

  void on_live_fragment(std::span<const std::byte> fragment, codec::SessionTime pts,
                        bool keyframe) override {
    std::lock_guard lock(mutex);
    for (auto& [id, e] : entries) {
      if (!e.started && !keyframe) continue;
      e.started = true;
      e.watcher->on_fragment(fragment, pts.count(), keyframe);
    }
  }

  // Without an init yet, the watcher gets it when it comes.
  void add(int id, std::shared_ptr<server::app::LiveWatcher> watcher) {
    std::lock_guard lock(mutex);
    if (!init_.empty()) watcher->on_init(init_, codec_, width_, height_);
    entries[id] = {std::move(watcher), false};
    publish();
  }

  void remove(int id) {
    std::lock_guard lock(mutex);
    entries.erase(id);
    publish();
  }

  void set_suspended(bool suspended) {
    std::lock_guard lock(mutex);
    suspended_ = suspended;
    publish();
  }

  server::app::LiveState state() {
    std::lock_guard lock(mutex);
    return {suspended_, static_cast<int>(entries.size())};
  }

  void end_all(const std::string& reason) {
    std::lock_guard lock(mutex);
    for (auto& [id, e] : entries)
      e.watcher->on_end(reason);
    entries.clear();
  }

  std::size_t size() {
    std::lock_guard lock(mutex);
    return entries.size();
  }

  std::mutex mutex;
  std::map<int, Entry> entries;

 private:
  void publish() {  // under mutex
    const server::app::LiveState now{suspended_, static_cast<int>(entries.size())};
    for (auto& [id, e] : entries)
      e.watcher->on_state(now);
  }

  bool suspended_ = false;
  std::vector<std::byte> init_;
  std::string codec_;
  int width_ = 0;
  int height_ = 0;
};

namespace {

class Handle : public server::app::WatchHandle {
 public:
  Handle(std::shared_ptr<RecorderLiveSessions::Fanout> fanout, int id)
      : fanout_(std::move(fanout)), id_(id) {}
  ~Handle() override { fanout_->remove(id_); }

 private:
  std::shared_ptr<RecorderLiveSessions::Fanout> fanout_;
  int id_;
};

}  // namespace

RecorderLiveSessions::RecorderLiveSessions(const std::filesystem::path& recordings_root,
                                           std::string id, int width, int height)
    : id_(std::move(id)),
      width_(width),
      height_(height),
      started_(std::chrono::steady_clock::now()),
      pixels_(static_cast<std::size_t>(width) * height * 4, 0),
      fanout_(std::make_shared<Fanout>()),
      observer_(std::make_unique<codec::NullRecorderObserver>()) {
  codec::RecorderOptions options;
  options.session_dir = recordings_root / id_;
  options.session_id = id_;
  options.max_fps = 10;
  // Short segments (30 frames of activity): the recording so far has closed segments to play
  // within seconds, whatever the machine's load.
  options.segment_seconds = 3;
  options.min_free_bytes = 0;
  recorder_ = codec::Recorder::start(options, *observer_);
  recorder_->on_event(
      "session.start",
      R"({"user":"ops1","target":"srv01","account":"administrator","client":"10.0.0.7"})",
      codec::SessionTime(0));
  recorder_->set_live_subscriber(fanout_);
}

RecorderLiveSessions::~RecorderLiveSessions() {
  stop();
}

void RecorderLiveSessions::stop() {
  std::lock_guard lock(mutex_);
  if (stopped_) return;
  stopped_ = true;
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started_);
  recorder_->set_live_subscriber(nullptr);
  recorder_->stop(ended_ ? "terminated" : "client-disconnect", codec::SessionTime(now.count()));
  fanout_->end_all("the session ended");
}

std::chrono::system_clock::time_point RecorderLiveSessions::paint(std::uint32_t rgb,
                                                                  std::uint32_t mark) {
  std::lock_guard lock(mutex_);
  for (int y = 0; y < height_; ++y) {
    for (int x = 0; x < width_; ++x) {
      auto c = (x < 64 && y < 64) ? mark : rgb;
      auto* p = &pixels_[(static_cast<std::size_t>(y) * width_ + x) * 4];
      p[0] = c & 255;
      p[1] = (c >> 8) & 255;
      p[2] = (c >> 16) & 255;
      p[3] = 255;
    }
  }
  auto t = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started_);
  codec::Rect all{0, 0, width_, height_};
  auto wall = std::chrono::system_clock::now();
  if (!stopped_)
    recorder_->on_frame({pixels_.data(), width_, height_, width_ * 4}, {&all, 1},
                        codec::SessionTime(t.count()));
  return wall;
}

bool RecorderLiveSessions::ended() const {
  std::lock_guard lock(mutex_);
  return ended_;
}

std::vector<server::app::LiveCommand> RecorderLiveSessions::commands() const {
  std::lock_guard lock(mutex_);
  return commands_;
}

int RecorderLiveSessions::watches_started() const {
  std::lock_guard lock(mutex_);
  return watches_;
}

int RecorderLiveSessions::watchers() const {
  return static_cast<int>(fanout_->size());
}

void RecorderLiveSessions::set_suspended(bool suspended) {
  fanout_->set_suspended(suspended);
}

std::optional<server::app::LiveState> RecorderLiveSessions::state(std::string_view session_id) {
  if (!is_live(session_id)) return std::nullopt;
  return fanout_->state();
}

bool RecorderLiveSessions::is_live(std::string_view session_id) {
  std::lock_guard lock(mutex_);
  return session_id == id_ && !ended_;
}

LiveResult RecorderLiveSessions::control(const server::app::LiveCommand& command) {
  using server::app::LiveAction;
  {
    std::lock_guard lock(mutex_);
    if (command.session_id != id_ || ended_) return LiveResult::not_live;
    commands_.push_back(command);
    if (command.action == LiveAction::terminate) ended_ = true;
  }
  if (command.action == LiveAction::suspend || command.action == LiveAction::resume)
    fanout_->set_suspended(command.action == LiveAction::suspend);
  if (command.action == LiveAction::terminate)
    fanout_->end_all(fmt::format("terminated by {}", command.actor));
  return LiveResult::ok;
}

std::unique_ptr<server::app::WatchHandle> RecorderLiveSessions::watch(
    std::string_view session_id, std::string_view, std::string_view,
    std::shared_ptr<server::app::LiveWatcher> watcher) {
  int n = 0;
  {
    std::lock_guard lock(mutex_);
    if (session_id != id_ || ended_) return nullptr;
    n = ++watches_;
  }
  fanout_->add(n, std::move(watcher));
  recorder_->request_keyframe();
  return std::make_unique<Handle>(fanout_, n);
}

}  // namespace rdpwarden::test
