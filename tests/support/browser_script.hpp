#pragma once
// Headless Chromium for browser tests: runs a node script that drives Debian's Chromium
// (/usr/bin/chromium) through playwright-core (pinned in tests/support/browser/package-lock.json,
// installed by deploy/install-deps.sh) and returns its exit code, its JSON result and its log.
//
//   auto r = run_browser_script(browser_scripts_dir() / "self_test.mjs", {.args = {url}});
//   REQUIRE(r.exit_code == 0);          // else r.log says why (console output included)
//   CHECK(r.result["title"] == "...");
//
// Scripts use tests/support/browser/lib.mjs (runBrowserTest), which launches Chromium with a
// fresh profile in a temp dir, forwards page console messages to the log, and writes the test
// function's return value as the result. Scripts outside tests/support/browser import it by
// relative path (e.g. tests/browser/x.mjs: '../support/browser/lib.mjs'); playwright-core then
// resolves from tests/support/browser/node_modules.
//
// Stop: the script closes the browser itself; on timeout every descendant of node (Chromium
// runs in its own process group) is killed by PID, then node. Temp files are removed.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rdpwarden::test {

struct BrowserRunOptions {
  std::vector<std::string> args{};            // the script's argv after its path
  std::map<std::string, std::string> env{};   // extra environment for node
  std::chrono::milliseconds timeout{120000};  // whole run, browser start included
};

struct BrowserResult {
  int exit_code = -1;     // node's exit code; -1 when it timed out
  nlohmann::json result;  // the script's JSON result; null when it wrote none
  std::string log;        // node's stdout and stderr (browser console included)
  bool ok() const { return exit_code == 0; }
};

// tests/support/browser in the source tree (where lib.mjs and node_modules live).
std::filesystem::path browser_scripts_dir();

// Runs `node <script> <args...>`. Throws FixtureError when node or playwright-core is missing
// (run ./deploy/install-deps.sh) or the result file is not valid JSON.
BrowserResult run_browser_script(const std::filesystem::path& script,
                                 const BrowserRunOptions& options = {});

}  // namespace rdpwarden::test
