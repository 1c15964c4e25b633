#pragma once
// `rdpwarden export SESSION --mp4 FILE` (registered by register_recording_commands in
// cli/commands.hpp): recordings as files people can hand around.

#include <filesystem>
#include <string>

#include "cli/cli_context.hpp"

namespace rdpwarden::server::cli {

// Exports <recordings>/<session>/ to `mp4`, prints one summary line; returns the exit code.
// Throws UsageError for a malformed session id, std::runtime_error for a failed export.
int export_recording(CliContext& ctx, const std::string& session, const std::filesystem::path& mp4);

}  // namespace rdpwarden::server::cli
