#include "server/web/recorded_session.hpp"
#include <algorithm>
#include <atomic>
#include <map>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace rdpwarden::test {
namespace {

using codec::Rect;
using codec::SessionTime;

constexpr std::uint32_t kPalette[] = {0xc03030, 0x30a040, 0x3050c0, 0xd0c030, 0xa040b0, 0x30b0b0};
constexpr int kBlock = 48;

constexpr std::uint16_t kLeftShift = 0x2a;

// Characters typed with Shift on a US layout, and the key that carries them.
bool shifted(char c, char& base) {
  static const std::map<char, char> keys = {{'<', ','},  {'>', '.'},  {'(', '9'}, {')', '0'},
                                            {'"', '\''}, {'|', '\\'}, {'_', '-'}, {'!', '1'}};
  if (c >= 'A' && c <= 'Z') {
    base = static_cast<char>(c - 'A' + 'a');
    return true;
  }
  auto it = keys.find(c);
  if (it == keys.end()) return false;
  base = it->second;
  return true;
}

// US layout set-1 scancodes for what the tests type.
std::uint16_t scancode(char c) {
  static const std::map<char, std::uint16_t> codes = [] {
    std::map<char, std::uint16_t> m;
    const char* rows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
    const std::uint16_t starts[] = {0x10, 0x1e, 0x2c};
    for (int r = 0; r < 3; ++r)
      for (int i = 0; rows[r][i]; ++i)
        m[rows[r][i]] = static_cast<std::uint16_t>(starts[r] + i);
    for (int d = 1; d <= 9; ++d)
      m[static_cast<char>('0' + d)] = static_cast<std::uint16_t>(0x01 + d);
    m['0'] = 0x0b;
    m['-'] = 0x0c;
    m[' '] = 0x39;
    m['.'] = 0x34;
    m[','] = 0x33;
    m['/'] = 0x35;
    m['\''] = 0x28;
    m['\\'] = 0x2b;
    m['\n'] = 0x1c;
    return m;
  }();
  auto it = codes.find(c);
  if (it == codes.end()) throw std::invalid_argument(fmt::format("cannot type '{}'", c));
  return it->second;
}

class Desktop {
 public:
  Desktop(int w, int h) : w_(w), h_(h), px_(static_cast<std::size_t>(w) * h * 4, 0) {}
  codec::FrameView view() const { return {px_.data(), w_, h_, w_ * 4}; }
  Rect fill(Rect r, std::uint32_t rgb) {
    r = codec::intersect(r, {0, 0, w_, h_});
    for (int y = r.y; y < r.bottom(); ++y) {
      auto* row = &px_[static_cast<std::size_t>(y) * w_ * 4];
      for (int x = r.x; x < r.right(); ++x) {
        row[x * 4] = rgb & 255;
        row[x * 4 + 1] = (rgb >> 8) & 255;
        row[x * 4 + 2] = (rgb >> 16) & 255;
        row[x * 4 + 3] = 255;
      }
    }
    return r;
  }
  int width() const { return w_; }
  int height() const { return h_; }

 private:
  int w_;
  int h_;
  std::vector<std::uint8_t> px_;
};

struct Action {
  std::int64_t t;
  int order;  // frames before keys at the same time
  char key;   // 0: a frame
};

bool idle_at(const RecordedSessionSpec& spec, std::int64_t t) {
  return std::any_of(spec.idle.begin(), spec.idle.end(),
                     [&](const auto& r) { return t >= r.first && t < r.second; });
}

void wait_for_queue(codec::Recorder& recorder) {
  while (recorder.counters().queue_depth > 4)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace

std::uint32_t background_at(const RecordedSessionSpec& spec, std::int64_t t_ms) {
  return kPalette[static_cast<std::size_t>(t_ms / spec.colour_period_ms) % std::size(kPalette)];
}

RecordedSession record_session(const std::filesystem::path& root, const RecordedSessionSpec& spec) {
  std::vector<Action> actions;
  for (std::int64_t t = 0; t < spec.duration_ms; t += 1000 / spec.fps)
    if (!idle_at(spec, t)) actions.push_back({t, 0, 0});
  for (const auto& [start, text] : spec.typed)
    for (std::size_t i = 0; i < text.size(); ++i)
      actions.push_back({start + static_cast<std::int64_t>(i) * 120, 1, text[i]});
  std::sort(actions.begin(), actions.end(), [](const Action& a, const Action& b) {
    return std::tie(a.t, a.order) < std::tie(b.t, b.order);
  });

  std::atomic<std::int64_t> now{0};
  codec::RecorderOptions options;
  options.session_dir = root / spec.id;
  options.session_id = spec.id;
  options.max_fps = spec.max_fps;
  options.segment_seconds = spec.segment_seconds;
  options.thumbnail_seconds = spec.thumbnail_seconds;
  options.min_free_bytes = 0;
  options.queue_frames = 16;
  if (spec.crf > 0) options.encoder.crf = spec.crf;
  options.clock = [&now] { return SessionTime(now.load()); };
  codec::NullRecorderObserver observer;
  auto recorder = codec::Recorder::start(options, observer);
  recorder->on_event(
      "session.start",
      fmt::format(R"({{"user":"{}","target":"{}","account":"administrator","client":"10.0.0.7"}})",
                  spec.user, spec.target),
      SessionTime(0));
  recorder->on_keyboard_layout(0x00000409, SessionTime(0));

  Desktop desk(spec.width, spec.height);
  std::int64_t phase = -1;
  Rect block{};
  for (const auto& a : actions) {
    now = a.t;
    if (a.key) {
      char base = a.key;
      bool shift = shifted(a.key, base);
      auto sc = scancode(base);
      if (shift) recorder->on_key(0, kLeftShift, SessionTime(a.t));
      recorder->on_key(0, sc, SessionTime(a.t));
      recorder->on_key(codec::kKeyRelease, sc, SessionTime(a.t + 40));
      if (shift) recorder->on_key(codec::kKeyRelease, kLeftShift, SessionTime(a.t + 50));
      continue;
    }
    std::vector<Rect> dirty;
    auto bg = background_at(spec, a.t);
    if (a.t / spec.colour_period_ms != phase) {
      phase = a.t / spec.colour_period_ms;
      dirty.push_back(desk.fill({0, 0, desk.width(), desk.height()}, bg));
    } else {
      dirty.push_back(desk.fill(block, bg));
    }
    int span = desk.width() - kBlock - 20;
    block = {20 + static_cast<int>((a.t / 50 * 4) % span), desk.height() - kBlock - 20, kBlock,
             kBlock};
    dirty.push_back(desk.fill(block, 0xf0f0f0));
    wait_for_queue(*recorder);
    recorder->on_frame(desk.view(), dirty, SessionTime(a.t));
  }
  now = spec.duration_ms;
  recorder->on_event("session.end", R"({"reason":"client-disconnect"})",
                     SessionTime(spec.duration_ms));
  RecordedSession out;
  out.summary = recorder->stop("client-disconnect", SessionTime(spec.duration_ms));
  out.dir = options.session_dir;
  return out;
}

}  // namespace rdpwarden::test
