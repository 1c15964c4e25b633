// The rdpwarden command line as an administrator meets it: the real binary, real files.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace rdpwarden::test;

namespace {
RunResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), rdpwarden_bin().string());
  return run(args);
}
void write_file(const std::filesystem::path& p, std::string_view text) {
  std::ofstream(p) << text;
}
std::size_t line_count(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}
}  // namespace

TEST_CASE("version prints the version") {
  auto r = cli({"version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("rdpwarden 0.", 0) == 0);
}

TEST_CASE("help lists the commands") {
  auto r = cli({"help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("version") != std::string::npos);
  CHECK(r.out.find("--config") != std::string::npos);
  CHECK(cli({"--help"}).exit_code == 0);
}

TEST_CASE("an unknown command is a usage error") {
  auto r = cli({"frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("frobnicate") != std::string::npos);
}

TEST_CASE("a malformed config file gives one clear line and exit code 2") {
  TempDir dir;
  auto file = dir / "rdpwarden.toml";

  write_file(file, "[rdp]\nlisten = \"127.0.0.1:3389\"\nsecurity = \"none\"\n");
  auto bad_value = cli({"--config", file.string(), "config", "check"});
  CHECK(bad_value.exit_code == 2);
  CHECK(line_count(bad_value.err) == 1);
  CHECK(bad_value.err.find(file.string() + ":3: key rdp.security") != std::string::npos);

  write_file(file, "[web]\nlissten = \"127.0.0.1:1\"\n");
  auto unknown = cli({"--config", file.string(), "config", "check"});
  CHECK(unknown.exit_code == 2);
  CHECK(line_count(unknown.err) == 1);
  CHECK(unknown.err.find("unknown key web.lissten") != std::string::npos);

  write_file(file, "[web\nlisten = 1\n");
  auto syntax = cli({"--config", file.string(), "config", "check"});
  CHECK(syntax.exit_code == 2);
  CHECK(line_count(syntax.err) == 1);
  CHECK(syntax.err.find(file.string() + ":1:") != std::string::npos);

  auto missing = cli({"--config", (dir / "absent.toml").string(), "config", "check"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("absent.toml") != std::string::npos);
}

TEST_CASE("config show prints every key, and a good file checks out") {
  TempDir dir;
  auto file = dir / "rdpwarden.toml";
  write_file(file, "[recording]\nmax_fps = 7\n");
  auto check = cli({"--config", file.string(), "config", "check"});
  CHECK(check.exit_code == 0);
  auto show = cli({"--config", file.string(), "--data-dir", dir.path().string(), "config", "show"});
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("max_fps = 7") != std::string::npos);
  CHECK(show.out.find("listen = '127.0.0.1:3389'") != std::string::npos);
  CHECK(show.out.find("data_dir = '" + dir.path().string() + "'") != std::string::npos);
}

TEST_CASE("the example config is valid and documents every key with its default") {
  auto example = source_dir() / "deploy/rdpwarden.example.toml";
  auto check = cli({"--config", example.string(), "config", "check"});
  CHECK(check.exit_code == 0);
  // Same data dir for both, so the only possible difference is a key the example lacks or a
  // default it misstates.
  auto from_example = cli({"--config", example.string(), "--data-dir", "/x", "config", "show"});
  auto defaults = cli({"--data-dir", "/x", "config", "show"});
  CHECK(from_example.out == defaults.out);

  // ...and every key the schema knows is written out in the example, under its section.
  std::ifstream in(example);
  std::string example_text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream shown(defaults.out);
  std::string line, section;
  while (std::getline(shown, line)) {
    if (line.empty()) continue;
    if (line.front() == '[') {
      section = line;
      CHECK(example_text.find("\n" + section + "\n") != std::string::npos);
      continue;
    }
    auto key = line.substr(0, line.find(" = "));
    auto section_at = section.empty() ? 0 : example_text.find("\n" + section + "\n");
    auto next_section = example_text.find("\n[", section_at + 1);
    auto key_at = example_text.find("\n" + key + " = ", section_at);
    INFO(section << " " << key);
    CHECK((key_at != std::string::npos && key_at < next_section));
  }
}
