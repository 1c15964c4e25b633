#include "support/browser_script.hpp"
#include <fstream>

#include "support/fixture_error.hpp"
#include "support/process.hpp"
#include "support/process_tree.hpp"
#include "support/temp_dir.hpp"

namespace rdpwarden::test {
namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::filesystem::path browser_scripts_dir() {
  return source_dir() / "tests/support/browser";
}

BrowserResult run_browser_script(const std::filesystem::path& script,
                                 const BrowserRunOptions& options) {
  if (!std::filesystem::exists(browser_scripts_dir() / "node_modules/playwright-core"))
    throw FixtureError("playwright-core is not installed in " + browser_scripts_dir().string() +
                       " (run ./deploy/install-deps.sh)");
  if (!std::filesystem::exists(script)) throw FixtureError("no browser script " + script.string());
  TempDir dir("rdpwarden-browser");
  auto result_file = dir / "result.json";
  auto log_file = dir / "node.log";
  RunOptions run_options;
  run_options.env = options.env;
  run_options.env["RDPWARDEN_RESULT_FILE"] = result_file.string();
  run_options.env["RDPWARDEN_BROWSER_PROFILE"] = (dir / "profile").string();
  if (!run_options.env.count("RDPWARDEN_CHROMIUM"))
    run_options.env["RDPWARDEN_CHROMIUM"] = "/usr/bin/chromium";
  // Chromium writes crash reports and caches under $HOME; keep them in the temp dir.
  run_options.env["HOME"] = dir.path().string();
  run_options.cwd = script.parent_path();
  run_options.reap_orphans = true;
  std::vector<std::string> argv = {"node", script.string()};
  argv.insert(argv.end(), options.args.begin(), options.args.end());

  Process node(argv, run_options, log_file);
  BrowserResult out;
  if (auto code = node.wait_for_exit(options.timeout)) {
    out.exit_code = *code;
  } else {
    terminate_processes(descendants(node.pid()));
    node.stop();
  }
  out.log = read_text(log_file);
  std::string json = read_text(result_file);
  if (!json.empty()) {
    try {
      out.result = nlohmann::json::parse(json);
    } catch (const nlohmann::json::exception& e) {
      throw FixtureError("browser script " + script.filename().string() +
                         " wrote invalid JSON: " + e.what() + "\n" + out.log);
    }
  }
  return out;
}

}  // namespace rdpwarden::test
