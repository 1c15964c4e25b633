#pragma once
// Runs a playwright-core script (tests/browser/*.mjs) under node: JSON in on stdin, JSON out on
// the last line of stdout. playwright-core comes from tests/support/browser/node_modules
// (installed by deploy/install-deps.sh), $RDPWARDEN_PLAYWRIGHT_CORE, or a scratch install in
// build/scratch/node_modules; none of them present is a test failure, not a skip.

#include <chrono>
#include <filesystem>

#include <nlohmann/json.hpp>

namespace rdpwarden::test {

std::filesystem::path playwright_core_dir();
std::filesystem::path chromium_binary();

// Throws std::runtime_error (with node's stderr) when the script does not print a JSON result.
nlohmann::json run_browser_script(const std::filesystem::path& script, const nlohmann::json& input,
                                  std::chrono::milliseconds timeout);

}  // namespace rdpwarden::test
