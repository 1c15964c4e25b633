#include "app/database.hpp"
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <rdpwarden/storage/errors.hpp>
#include <rdpwarden/storage/key_rotation.hpp>
#include <rdpwarden/storage/migrations.hpp>

#include "util/log.hpp"

namespace rdpwarden::server::app {
namespace {

// The data directory holds private subdirectories (keys/, pg/, tls/); when root runs the
// embedded cluster as another user, that user must be able to pass through it.
void ensure_data_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw storage::Unavailable(
        fmt::format("cannot create the data directory {}: {}", dir.string(), ec.message()));
  ::chmod(dir.c_str(), ::geteuid() == 0 ? 0711 : 0700);
}

// The master key: generated on first use at the default path, but never while the database
// already holds secrets sealed with a key that is missing (a fresh key could not open them).
std::shared_ptr<storage::KeyRing> open_keys(const Config& config, storage::Database& db) {
  auto path = config.master_key_path();
  auto in_use = storage::key_ids_in_use(db);
  std::error_code ec;
  bool configured = !config.keys.master_key_file.empty();
  if (!std::filesystem::exists(path, ec) && (configured || !in_use.empty()))
    throw storage::KeyError(
        configured
            ? fmt::format("master key file {} (keys.master_key_file) does not exist", path.string())
            : fmt::format("the database holds secrets sealed with key {} but the master "
                          "key file {} is missing; restore it from a backup",
                          in_use.front(), path.string()));
  auto keys = storage::KeyRing::open(path, storage::KeyRing::IfMissing::create);
  for (const auto& id : in_use)
    if (!keys->knows(id))
      throw storage::KeyError(fmt::format(
          "the database holds secrets sealed with key {}, which is not in {} (nor its retired/)",
          id, path.parent_path().string()));
  return keys;
}

}  // namespace

std::unique_ptr<Database> Database::open(const Config& config, std::size_t pool_size) {
  std::unique_ptr<Database> db(new Database());
  ensure_data_dir(config.data_dir);
  if (config.database.url.empty()) {
    storage::EmbeddedClusterOptions options;
    options.dir = config.pg_dir();
    db->cluster_ = storage::EmbeddedCluster::start(options);
    db->conninfo_ = db->cluster_->conninfo();
  } else {
    db->conninfo_ = config.database.url;
  }
  auto first = storage::Database::connect(db->conninfo_, nullptr);
  db->migration_ = storage::migrate(first);
  db->keys_ = open_keys(config, first);
  db->pool_ = std::make_unique<storage::ConnectionPool>(db->conninfo_, db->keys_, pool_size);
  return db;
}

Database::~Database() {
  pool_.reset();
  if (!cluster_) return;
  try {
    cluster_->leave();
  } catch (const storage::StorageError& e) {
    log::warn("{}", e.what());
  }
}

storage::Database Database::connect() const {
  return storage::Database::connect(conninfo_, keys_);
}

}  // namespace rdpwarden::server::app
