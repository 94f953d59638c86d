// Opening a data directory.
#include "app/app.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <filesystem>

#include "base/clock.h"
#include "db/schema.h"

namespace registry {

App::App(const std::string& data_dir, RegistryOptions options)
    : data_dir_(data_dir),
      pool_(data_dir + "/registry.db"),
      blobs_(data_dir, RealFileSystem()),
      doc_blobs_(data_dir + "/docs", RealFileSystem()),
      users_(&pool_, &SystemClock()),
      tokens_(&pool_, &SystemClock()),
      sessions_(&pool_, &SystemClock()),
      audit_(&pool_),
      registry_(&pool_, &blobs_, &SystemClock(), options, &doc_blobs_) {}

Status App::Checkpoint() {
  auto db = pool_.Acquire();
  if (!db.ok()) return db.status();
  return (*db)->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Status App::RemoveStaleTempFiles(int* removed) {
  *removed = 0;
  std::error_code ec;
  auto now = std::filesystem::file_time_type::clock::now();
  for (const std::string& dir : {data_dir_ + "/tmp", data_dir_ + "/docs/tmp"}) {
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (IsStaleTempFile(entry.path().filename().string(), now - entry.last_write_time(ec)) &&
          std::filesystem::remove(entry.path(), ec)) {
        ++*removed;
      }
    }
    if (ec) return Status::Io("cannot clean " + dir + ": " + ec.message());
  }
  return Status::Ok();
}

bool IsStaleTempFile(const std::string& name, std::filesystem::file_time_type::duration age) {
  if (age > std::chrono::hours(1)) return true;
  size_t dash = name.find('-');
  if (dash == 0 || dash == std::string::npos || dash > 9) return false;
  if (name.find_first_not_of("0123456789") < dash) return false;
  pid_t pid = static_cast<pid_t>(std::stol(name.substr(0, dash)));
  // Our own PID: a previous run of this process id (e.g. PID 1 in a container) left it.
  if (pid == ::getpid()) return true;
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

Result<std::unique_ptr<App>> App::Open(const std::string& data_dir, RegistryOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::Io("cannot create data directory " + data_dir + ": " + ec.message());
  ::chmod(data_dir.c_str(), 0700);
  std::unique_ptr<App> app(new App(data_dir, options));
  RETURN_IF_ERROR(app->blobs_.Init());
  RETURN_IF_ERROR(app->doc_blobs_.Init());
  {
    auto db = app->pool_.Acquire();
    if (!db.ok()) return db.status();
    RETURN_IF_ERROR(Migrate(db->get()));
  }
  RETURN_IF_ERROR(app->sessions_.Init());
  RETURN_IF_ERROR(app->registry_.BuildMissingIndexFiles());
  RETURN_IF_ERROR(app->registry_.BackfillTargets());
  int removed = 0;
  RETURN_IF_ERROR(app->RemoveStaleTempFiles(&removed));
  return app;
}

Result<std::unique_ptr<App>> App::OpenExisting(const std::string& data_dir,
                                               RegistryOptions options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(data_dir + "/registry.db", ec)) {
    return Status::NotFound("no registry in `" + data_dir +
                            "`: check the path, or start one with `registry serve --data " +
                            data_dir + "`");
  }
  return Open(data_dir, options);
}

}  // namespace registry
