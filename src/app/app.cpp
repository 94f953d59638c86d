// Opening a data directory.
#include "app/app.h"

#include <sys/stat.h>

#include <filesystem>

#include "base/clock.h"
#include "db/schema.h"

namespace registry {

App::App(const std::string& data_dir, RegistryOptions options)
    : data_dir_(data_dir),
      pool_(data_dir + "/registry.db"),
      blobs_(data_dir, RealFileSystem()),
      users_(&pool_, &SystemClock()),
      tokens_(&pool_, &SystemClock()),
      sessions_(&pool_, &SystemClock()),
      audit_(&pool_),
      registry_(&pool_, &blobs_, &SystemClock(), options) {}

// Temp files are only ever renamed into place after an fsync; any left are from a write that
// never completed and was never acknowledged.
static void RemoveStaleTempFiles(const std::string& tmp_dir) {
  std::error_code ec;
  auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(tmp_dir, ec)) {
    auto age = now - entry.last_write_time(ec);
    // Another process may be writing right now: leave files younger than an hour.
    if (!ec && age > std::chrono::hours(1)) std::filesystem::remove(entry.path(), ec);
  }
}

Result<std::unique_ptr<App>> App::Open(const std::string& data_dir, RegistryOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::Io("cannot create data directory " + data_dir + ": " + ec.message());
  ::chmod(data_dir.c_str(), 0700);
  std::unique_ptr<App> app(new App(data_dir, options));
  RETURN_IF_ERROR(app->blobs_.Init());
  {
    auto db = app->pool_.Acquire();
    if (!db.ok()) return db.status();
    RETURN_IF_ERROR(Migrate(db->get()));
  }
  RETURN_IF_ERROR(app->sessions_.Init());
  RemoveStaleTempFiles(data_dir + "/tmp");
  return app;
}

}  // namespace registry
