// The admin verbs through the real binary against a real PostgreSQL: every verb, its errors,
// the audit rows it writes, and that no secret ever reaches the output.
#include <pwd.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using namespace rdpwarden::test;

namespace {
const std::string kUserPassword = "Gw-Pass-4417";
const std::string kAccountPassword = "T4rget-Pass-8821";

void no_secret_in(const RunResult& r) {
  for (const auto& secret : {kUserPassword, kAccountPassword}) {
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
  }
}

// A failure: exactly one line on stderr, nothing on stdout, no secret.
void fails(const RunResult& r, int code, const std::string& message) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == code);
  CHECK(r.out.empty());
  CHECK(lines(r.err) == 1);
  CHECK(r.err == "rdpwarden: " + message + "\n");
  no_secret_in(r);
}
}  // namespace

TEST_CASE("user verbs: add, list, passwd, remove, and their errors") {
  CliFixture f;
  auto add =
      f.cli({"user", "add", "ops1", "--role", "admin", "--password-stdin"}, kUserPassword + "\n");
  CHECK(add.exit_code == 0);
  CHECK(add.out == "added user ops1 (admin)\n");
  CHECK(
      f.cli({"user", "add", "audit1", "--role", "auditor", "--password-stdin"}, "pw\n").exit_code ==
      0);

  auto list = f.cli({"user", "list"});
  CHECK(list.exit_code == 0);
  CHECK(list.out.rfind("NAME    ROLE     CREATED", 0) == 0);
  CHECK(list.out.find("\naudit1  auditor  ") != std::string::npos);
  CHECK(list.out.find("\nops1    admin    ") != std::string::npos);
  auto json = nlohmann::json::parse(f.cli({"user", "list", "--json"}).out);
  REQUIRE(json.size() == 2);
  CHECK(json[1]["name"] == "ops1");
  CHECK(json[1]["role"] == "admin");
  CHECK_FALSE(json[1].contains("password_hash"));

  CHECK(f.cli({"user", "passwd", "OPS1", "--password-stdin"}, "n3w-pass\n").out ==
        "changed the password of user ops1\n");
  fails(f.cli({"user", "add", "ops1", "--password-stdin"}, "x\n"), 1, "user ops1 already exists");
  fails(f.cli({"user", "passwd", "ops9", "--password-stdin"}, "x\n"), 1, "no user named ops9");
  fails(f.cli({"user", "remove", "ops9"}), 1, "no user named ops9");
  fails(f.cli({"user", "add", "ops2", "--password-stdin"}, "\n"), 2,
        "the password for user ops2 is empty");
  fails(f.cli({"user", "add", "ops2", "--password-stdin"}), 2,
        "the password for user ops2 is empty");
  fails(f.cli({"user", "add", "ops2"}), 2,
        "no terminal to ask for the password for user ops2; give it with --password-stdin");
  fails(f.cli({"user", "add", "ops2", "--role", "root", "--password-stdin"}, "x\n"), 2,
        "unknown role 'root': use admin, auditor or user");
  fails(f.cli({"user", "add", "ops#2", "--password-stdin"}, "x\n"), 2,
        "invalid user name 'ops#2': use 1 to 64 letters, digits, '.', '_' or '-', starting with "
        "a letter or digit");

  CHECK(f.cli({"user", "remove", "audit1"}).out == "removed user audit1\n");
  CHECK(nlohmann::json::parse(f.cli({"user", "list", "--json"}).out).size() == 1);
  // The password never came from argv: the audit trail shows what happened, by whom.
  auto audit = f.psql("SELECT actor_kind, action, object FROM audit_log ORDER BY id");
  CHECK(audit.out ==
        "cli|user.add|user ops1\ncli|user.add|user audit1\ncli|user.passwd|user ops1\n"
        "cli|user.remove|user audit1\n");
  // The actor is the OS user who ran the CLI.
  auto actors = f.psql("SELECT DISTINCT actor FROM audit_log");
  CHECK(actors.out == std::string(getpwuid(::getuid())->pw_name) + "\n");
}

TEST_CASE("target and account verbs, and their errors") {
  CliFixture f;
  CHECK(f.cli({"target", "add", "srv01", "--host", "10.0.0.1"}).out ==
        "added target srv01 (10.0.0.1:3389)\n");
  std::string pin(64, 'a');
  CHECK(f.cli({"target", "add", "srv02", "--host", "srv02.corp.example", "--port", "3390",
               "--fingerprint", pin})
            .out == "added target srv02 (srv02.corp.example:3390), certificate pinned\n");
  fails(f.cli({"target", "add", "srv01", "--host", "10.0.0.2"}), 1, "target srv01 already exists");
  fails(f.cli({"target", "add", "srv03", "--host", "10.0.0.300"}), 2,
        "invalid host '10.0.0.300': give a DNS name or an IP address");
  fails(f.cli({"target", "add", "srv03", "--host", "h", "--port", "99999"}), 2,
        "invalid port '99999': use 1 to 65535");
  fails(f.cli({"target", "add", "srv03", "--host", "h", "--port", "x1"}), 2,
        "invalid port 'x1': use 1 to 65535");
  auto targets = nlohmann::json::parse(f.cli({"target", "list", "--json"}).out);
  REQUIRE(targets.size() == 2);
  CHECK(targets[1]["port"] == 3390);
  CHECK(targets[1]["fingerprint"] == pin);
  CHECK(targets[1]["fingerprint_origin"] == "pinned");
  CHECK(f.cli({"target", "list"}).out.find("srv02.corp.example  3390") != std::string::npos);

  CHECK(f.cli({"account", "add", "srv01", "administrator", "--password-stdin"},
              kAccountPassword + "\n")
            .out == "added account administrator on srv01\n");
  CHECK(f.cli({"account", "add", "srv01", "svc", "--domain", "CORP", "--password-stdin"},
              kAccountPassword + "\n")
            .out == "added account CORP\\svc on srv01\n");
  fails(f.cli({"account", "add", "srv01", "administrator", "--password-stdin"}, "x\n"), 1,
        "account administrator on srv01 already exists");
  fails(f.cli({"account", "add", "srv9", "root", "--password-stdin"}, "x\n"), 1,
        "no target named srv9");
  fails(f.cli({"account", "add", "srv01", "root", "--password-stdin"}, "\n"), 2,
        "the password for root on srv01 is empty");
  auto list = f.cli({"account", "list"});
  no_secret_in(list);
  CHECK(list.out.find("srv01   administrator  -") != std::string::npos);
  auto accounts = nlohmann::json::parse(f.cli({"account", "list", "srv01", "--json"}).out);
  REQUIRE(accounts.size() == 2);
  CHECK(accounts[1]["domain"] == "CORP");
  CHECK(f.cli({"account", "passwd", "srv01", "svc", "--password-stdin"}, "other\n").out ==
        "changed the password of account CORP\\svc on srv01\n");
  fails(f.cli({"account", "passwd", "srv01", "nobody", "--password-stdin"}, "x\n"), 1,
        "no account nobody on srv01");

  CHECK(f.cli({"user", "add", "ops1", "--password-stdin"}, "pw\n").exit_code == 0);
  CHECK(f.cli({"grant", "add", "ops1", "srv01", "--account", "svc"}).exit_code == 0);
  fails(f.cli({"account", "remove", "srv01", "svc"}), 1,
        "account CORP\\svc on srv01 is named by 1 grant (remove the grants first, or use "
        "--cascade)");
  fails(f.cli({"target", "remove", "srv01"}), 1,
        "target srv01 still has 2 accounts and 1 grant (remove them first, or use --cascade)");
  CHECK(f.cli({"account", "remove", "srv01", "administrator"}).out ==
        "removed account administrator on srv01\n");
  CHECK(f.cli({"target", "remove", "srv01", "--cascade"}).out ==
        "removed target srv01 with 1 account and 1 grant\n");
  fails(f.cli({"target", "remove", "srv01"}), 1, "no target named srv01");
  CHECK(f.cli({"target", "remove", "srv02"}).out == "removed target srv02\n");
  CHECK(f.cli({"target", "list"}).out == "no targets\n");
  auto audit = f.psql("SELECT count(*), count(DISTINCT action) FROM audit_log");
  CHECK(audit.out == "10|7\n");
}

TEST_CASE("grant verbs with accounts, validity windows and source networks") {
  CliFixture f;
  REQUIRE(f.cli({"user", "add", "ops1", "--password-stdin"}, "pw\n").exit_code == 0);
  REQUIRE(f.cli({"target", "add", "srv01", "--host", "10.0.0.1"}).exit_code == 0);
  REQUIRE(f.cli({"account", "add", "srv01", "admin", "--password-stdin"}, "x\n").exit_code == 0);
  REQUIRE(f.cli({"account", "add", "srv01", "admin", "--domain", "CORP", "--password-stdin"}, "x\n")
              .exit_code == 0);

  auto add = f.cli({"grant", "add", "ops1", "srv01", "--account", "admin", "--domain", "CORP",
                    "--valid-from", "2026-01-01T08:00:00+01:00", "--valid-until", "2026-12-31",
                    "--source", "10.1.0.0/16", "--source", "192.0.2.7"});
  CHECK(add.exit_code == 0);
  CHECK(add.out == "granted ops1 access to srv01 as CORP\\admin\n");
  CHECK(f.cli({"grant", "add", "ops1", "srv01"}).out ==
        "granted ops1 access to srv01 with any of its accounts\n");
  auto json = nlohmann::json::parse(f.cli({"grant", "list", "--json"}).out);
  REQUIRE(json.size() == 2);
  CHECK(json[0]["account"].is_null());
  CHECK(json[1]["account"] == "admin");
  CHECK(json[1]["valid_from"] == "2026-01-01T07:00:00Z");
  CHECK(json[1]["valid_until"] == "2026-12-31T00:00:00Z");
  CHECK(json[1]["source_networks"] == nlohmann::json({"10.1.0.0/16", "192.0.2.7/32"}));
  auto table = f.cli({"grant", "list", "--user", "ops1"});
  CHECK(table.out.find("CORP\\admin  2026-01-01T07:00:00Z  2026-12-31T00:00:00Z  "
                       "10.1.0.0/16,192.0.2.7/32") != std::string::npos);

  fails(f.cli({"grant", "add", "ops1", "srv01"}), 1, "grant for ops1 on srv01 already exists");
  fails(f.cli({"grant", "add", "ops9", "srv01"}), 1, "no user named ops9");
  fails(f.cli({"grant", "add", "ops1", "srv9"}), 1, "no target named srv9");
  fails(f.cli({"grant", "add", "ops1", "srv01", "--account", "admin"}), 2,
        "target srv01 has several accounts named admin; name the domain too");
  fails(f.cli({"grant", "add", "ops1", "srv01", "--account", "root"}), 1,
        "no account root on srv01");
  fails(f.cli({"grant", "add", "ops1", "srv01", "--account", "admin", "--domain", "",
               "--valid-from", "tomorrow"}),
        2,
        "invalid --valid-from 'tomorrow': use ISO 8601, e.g. 2026-01-31 or "
        "2026-01-31T18:00:00+01:00 (UTC when no offset is given)");
  fails(f.cli({"grant", "add", "ops1", "srv01", "--account", "admin", "--domain", "",
               "--valid-from", "2026-02-01", "--valid-until", "2026-01-01"}),
        2, "the grant's validity ends before it begins");
  auto bad_net = f.cli({"grant", "add", "ops1", "srv01", "--account", "admin", "--domain", "",
                        "--source", "10.1.2.3/16"});
  CHECK(bad_net.exit_code == 2);
  CHECK(lines(bad_net.err) == 1);
  CHECK(bad_net.err.find("invalid source network") != std::string::npos);
  CHECK(bad_net.err.find("10.1.2.3/16") != std::string::npos);

  CHECK(f.cli({"grant", "remove", "ops1", "srv01", "--account", "admin", "--domain", "corp"}).out ==
        "removed the grant for ops1 on srv01 as corp\\admin\n");
  fails(f.cli({"grant", "remove", "ops1", "srv01", "--account", "admin", "--domain", "corp"}), 1,
        "no grant for ops1 on srv01 as corp\\admin");
  CHECK(f.cli({"grant", "remove", "ops1", "srv01"}).exit_code == 0);
  CHECK(f.cli({"grant", "list"}).out == "no grants\n");
}

TEST_CASE("key rotate re-seals the vault and the gateway still reads it") {
  CliFixture f;
  REQUIRE(f.cli({"target", "add", "srv01", "--host", "10.0.0.1"}).exit_code == 0);
  REQUIRE(f.cli({"account", "add", "srv01", "admin", "--password-stdin"}, kAccountPassword + "\n")
              .exit_code == 0);
  REQUIRE(f.cli({"user", "add", "ops1", "--password-stdin"}, kUserPassword + "\n").exit_code == 0);
  auto before = f.psql("SELECT DISTINCT password_key_id FROM accounts").out;
  auto r = f.cli({"key", "rotate"});
  CHECK(r.exit_code == 0);
  no_secret_in(r);
  CHECK(r.out.find("re-sealed 2 secrets") != std::string::npos);
  auto after = f.psql("SELECT DISTINCT password_key_id FROM accounts").out;
  CHECK(after != before);
  CHECK(f.psql("SELECT DISTINCT nt_hash_key_id FROM users").out == after);
  CHECK(std::filesystem::exists(f.data / "keys/retired" / (before.substr(0, 16) + ".key")));
  CHECK(f.psql("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").out == "key.rotate\n");
  // A second rotation works from the first one's result.
  CHECK(f.cli({"key", "rotate"}).exit_code == 0);
  CHECK(f.cli({"account", "list"}).exit_code == 0);
}

TEST_CASE("a database that is down is one line and exit 1") {
  TempDir dir;
  auto config = dir / "rdpwarden.toml";
  std::ofstream(config) << "data_dir = \"" << (dir / "data").string()
                        << "\"\n[database]\nurl = \"host=" << (dir / "nowhere").string()
                        << " dbname=rdpwarden\"\n";
  auto r = run(
      {"setsid", "--wait", rdpwarden_bin().string(), "--config", config.string(), "user", "list"});
  CHECK(r.exit_code == 1);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.rfind("rdpwarden: database unavailable: ", 0) == 0);
  CHECK(r.out.empty());
}

TEST_CASE("a master key others can read, or one that is missing, stops the CLI") {
  CliFixture f;
  REQUIRE(f.cli({"target", "add", "srv01", "--host", "10.0.0.1"}).exit_code == 0);
  REQUIRE(f.cli({"account", "add", "srv01", "admin", "--password-stdin"}, kAccountPassword + "\n")
              .exit_code == 0);
  auto key = f.data / "keys/master.key";
  std::filesystem::permissions(key, std::filesystem::perms(0644));
  fails(f.cli({"account", "list"}), 1,
        "key file " + key.string() + " is accessible by other users (mode 0644); run: chmod 600 " +
            key.string());
  std::filesystem::permissions(key, std::filesystem::perms(0600));
  CHECK(f.cli({"account", "list"}).exit_code == 0);

  auto id = f.psql("SELECT password_key_id FROM accounts").out;
  std::filesystem::remove_all(f.data / "keys");
  fails(f.cli({"account", "list"}), 1,
        "the database holds secrets sealed with key " + id.substr(0, 16) +
            " but the master key file " + key.string() + " is missing; restore it from a backup");
  CHECK_FALSE(std::filesystem::exists(key));  // no fresh key was made over the old secrets
}
