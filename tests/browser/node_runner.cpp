#include "browser/node_runner.hpp"
#include <cstdlib>
#include <stdexcept>

#include "support/process.hpp"

namespace rdpwarden::test {

namespace fs = std::filesystem;

fs::path playwright_core_dir() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("RDPWARDEN_PLAYWRIGHT_CORE")) candidates.emplace_back(env);
  candidates.push_back(source_dir() / "tests/support/browser/node_modules/playwright-core");
  candidates.push_back(source_dir() / "build/scratch/node_modules/playwright-core");
  for (const auto& c : candidates) {
    if (fs::exists(c / "package.json")) return c;
  }
  throw std::runtime_error(
      "playwright-core is not installed: run ./deploy/install-deps.sh (or set "
      "RDPWARDEN_PLAYWRIGHT_CORE to its folder)");
}

fs::path chromium_binary() {
  if (const char* env = std::getenv("RDPWARDEN_CHROMIUM")) return env;
  return "/usr/bin/chromium";
}

nlohmann::json run_browser_script(const fs::path& script, const nlohmann::json& input,
                                  std::chrono::milliseconds timeout) {
  auto args = input;
  args["playwright_core"] = playwright_core_dir().string();
  args["chromium"] = chromium_binary().string();
  RunOptions options;
  options.stdin_text = args.dump();
  options.timeout = timeout;
  auto r = run({"node", script.string()}, options);
  auto last = r.out.find_last_of('\n', r.out.size() >= 2 ? r.out.size() - 2 : 0);
  auto line = r.out.substr(last == std::string::npos ? 0 : last + 1);
  auto result = nlohmann::json::parse(line, nullptr, false);
  if (result.is_discarded() || !result.is_object())
    throw std::runtime_error("browser script failed (exit " + std::to_string(r.exit_code) +
                             "): " + r.err.substr(0, 4000) + r.out.substr(0, 2000));
  return result;
}

}  // namespace rdpwarden::test
