#include <regex>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <rdpwarden/codec/mp4_export.hpp>
#include <rdpwarden/codec/recording_error.hpp>

#include "cli/commands.hpp"
#include "cli/recording_commands.hpp"

namespace rdpwarden::server::cli {
namespace {

struct ExportArgs {
  std::string session;
  std::filesystem::path mp4;
};

}  // namespace

int export_recording(CliContext& ctx, const std::string& session,
                     const std::filesystem::path& mp4) {
  ExportArgs args{session, mp4};
  // A session id names a folder under the recordings directory; nothing else (no "..", no
  // slashes) may reach the file system.
  static const std::regex kSessionId("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  if (!std::regex_match(args.session, kSessionId) || args.session.find("..") != std::string::npos)
    throw UsageError(fmt::format("'{}' is not a session id", args.session));
  auto dir = ctx.config()->recordings_dir() / args.session;
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error(fmt::format("no recording for session {} in {}", args.session,
                                         ctx.config()->recordings_dir().string()));
  try {
    auto result = codec::export_mp4(dir, args.mp4);
    fmt::print("{}: {} frames, {:.3f} s, {} bytes\n", args.mp4.string(), result.frames,
               static_cast<double>(result.duration.count()) / 1000.0, result.bytes);
    return 0;
  } catch (const codec::RecordingError& e) {
    throw std::runtime_error(fmt::format("export {}: {}", args.session, e.what()));
  }
}

void register_recording_commands(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand(
      "export", "Export a session's recording as one standard MP4 (remuxed, not re-encoded)");
  cmd->add_option("session", args->session, "The session id (its recordings folder name)")
      ->required();
  cmd->add_option("--mp4", args->mp4, "The MP4 file to write")->required();
  cmd->callback([&ctx, args] {
    ctx.action = [&ctx, args] { return export_recording(ctx, args->session, args->mp4); };
  });
}

}  // namespace rdpwarden::server::cli
