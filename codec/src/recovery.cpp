#include <map>
#include <regex>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <rdpwarden/codec/recording_error.hpp>
#include <rdpwarden/codec/recovery.hpp>

#include "file_io.hpp"
#include "fragment_scanner.hpp"
#include "manifest.hpp"

namespace rdpwarden::codec {
namespace {

void check_ec(std::error_code ec, const std::string& what) {
  if (ec) throw RecordingError(fmt::format("{}: {}", what, ec.message()));
}

// The segment files present in the folder, by index: closed (.m4s) and open (.partial).
struct FolderSegments {
  std::map<int, std::filesystem::path> closed;
  std::map<int, std::filesystem::path> partial;
};

FolderSegments list_segments(const std::filesystem::path& dir) {
  static const std::regex kName(R"(seg-(\d{6})\.m4s(\.partial)?)");
  FolderSegments out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::smatch m;
    std::string name = entry.path().filename().string();
    if (!std::regex_match(name, m, kName)) continue;
    int index = std::stoi(m[1].str());
    (m[2].matched ? out.partial : out.closed)[index] = entry.path();
  }
  return out;
}

// Cuts a torn `.partial` to its last complete fragment and renames it; false when nothing
// complete was left (the file is removed then).
bool seal_partial(const std::filesystem::path& partial, std::uint64_t& truncated) {
  auto bytes = read_file(partial);
  FragmentScan scan = scan_fragments(bytes);
  truncated += bytes.size() - scan.complete_bytes;
  if (scan.fragments.empty()) {
    std::filesystem::remove(partial);
    return false;
  }
  if (::truncate(partial.c_str(), static_cast<off_t>(scan.complete_bytes)) != 0)
    check_ec({errno, std::generic_category()}, "truncate " + partial.string());
  AppendFile f;
  check_ec(f.open(partial, true), "open " + partial.string());
  check_ec(f.sync(), "fsync " + partial.string());
  f.close();
  std::filesystem::path closed = partial;
  closed.replace_extension();  // drop ".partial"
  std::filesystem::rename(partial, closed);
  check_ec(sync_directory(partial.parent_path()), "fsync " + partial.parent_path().string());
  return true;
}

SegmentRecord describe(const std::filesystem::path& file, int index, const Manifest& m) {
  auto bytes = read_file(file);
  FragmentScan scan = scan_fragments(bytes);
  if (scan.fragments.empty())
    throw RecordingError(fmt::format("{} holds no fragment", file.string()));
  SegmentRecord r;
  r.index = index;
  r.file = file.filename().string();
  const InitEntry* init = m.init_for(index);
  r.init_file = init ? init->file : "";
  r.start = SessionTime(scan.fragments.front().decode_time);
  const auto& last = scan.fragments.back();
  r.duration = std::chrono::milliseconds(last.decode_time + last.duration - r.start.count());
  r.bytes = bytes.size();
  r.sha256 = sha256_hex(bytes);
  return r;
}

// A torn last line of events.jsonl (the process died mid-write) is cut off.
void repair_events(const std::filesystem::path& dir) {
  auto path = dir / kEventsFile;
  if (!std::filesystem::exists(path)) return;
  auto bytes = read_file(path);
  std::size_t keep = bytes.size();
  while (keep > 0 && bytes[keep - 1] != '\n')
    --keep;
  if (keep != bytes.size() && ::truncate(path.c_str(), static_cast<off_t>(keep)) != 0)
    check_ec({errno, std::generic_category()}, "truncate " + path.string());
}

}  // namespace

RecoveryResult recover_recording(const std::filesystem::path& dir) {
  Manifest m = Manifest::load(dir);
  RecoveryResult result;
  if (m.complete || m.end_reason == "interrupted") {
    result.was_complete = m.complete;
    result.duration = std::chrono::milliseconds(m.duration_ms);
    result.segments = static_cast<int>(m.segments.size());
    return result;
  }
  FolderSegments files = list_segments(dir);
  for (const auto& [index, path] : files.partial) {
    if (!files.closed.count(index) && seal_partial(path, result.truncated_bytes)) {
      auto closed = path;
      files.closed[index] = closed.replace_extension();
    }
  }
  // Rebuild the list from the files: a crash between a rename and the manifest write leaves
  // a closed segment the manifest does not list yet.
  std::vector<SegmentRecord> segments;
  std::string previous = m.inits.empty() ? "" : m.inits.front().sha256;
  for (const auto& [index, path] : files.closed) {
    SegmentRecord r = describe(path, index, m);
    r.chain = chain_link(previous, r.sha256);
    previous = r.chain;
    segments.push_back(std::move(r));
  }
  m.segments = std::move(segments);
  std::int64_t end = 0;
  if (!m.segments.empty()) end = (m.segments.back().start + m.segments.back().duration).count();
  m.duration_ms = end;
  m.complete = false;
  m.end_reason = "interrupted";
  repair_events(dir);
  AppendFile events;
  if (!events.open(dir / kEventsFile, true)) {
    std::string line =
        nlohmann::json{{"t", end}, {"kind", "recording.stop"}, {"reason", "interrupted"}}.dump() +
        "\n";
    (void)events.write({reinterpret_cast<const std::uint8_t*>(line.data()), line.size()});
    (void)events.sync();
  }
  check_ec(m.save(dir), "write manifest.json");
  result.duration = std::chrono::milliseconds(end);
  result.segments = static_cast<int>(m.segments.size());
  return result;
}

}  // namespace rdpwarden::codec
