// One opened data directory: the database, the blob store and the services over them.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "auth/sessions.h"
#include "auth/tokens.h"
#include "auth/users.h"
#include "db/sqlite.h"
#include "registry/registry.h"
#include "storage/blob_store.h"

namespace registry {

// Layout of DIR: registry.db (+ WAL files), blobs/, tmp/, and docs/ (blobs/ and tmp/ of the
// hosted docs' files).
// Whether temp file `name` (written as "<pid>-<random>.tmp"), `age` old, belongs to no live
// writer: its process is gone, or it is older than any write takes.
bool IsStaleTempFile(const std::string& name, std::filesystem::file_time_type::duration age);

class App {
 public:
  // Creates DIR if needed, migrates the schema, and removes temp files a crash left behind.
  static Result<std::unique_ptr<App>> Open(const std::string& data_dir, RegistryOptions options);
  // The same for a DIR that already holds a registry; NotFound, naming DIR, when it holds none
  // (a mistyped path must not become a new, empty registry).
  static Result<std::unique_ptr<App>> OpenExisting(const std::string& data_dir,
                                                   RegistryOptions options);

  Users& users() { return users_; }
  Tokens& tokens() { return tokens_; }
  Sessions& sessions() { return sessions_; }
  AuditLog& audit() { return audit_; }
  Registry& registry() { return registry_; }
  const std::string& data_dir() const { return data_dir_; }
  DatabasePool& pool() { return pool_; }
  BlobStore& blobs() { return blobs_; }
  BlobStore& doc_blobs() { return doc_blobs_; }

  // Folds the WAL into the database file and truncates it (at shutdown).
  Status Checkpoint();

  // Removes temp files left by writes that never completed: those of processes that no
  // longer run, and any older than an hour. Open() calls it; so does `check --repair`.
  Status RemoveStaleTempFiles(int* removed);

 private:
  App(const std::string& data_dir, RegistryOptions options);
  std::string data_dir_;
  DatabasePool pool_;
  BlobStore blobs_;
  BlobStore doc_blobs_;
  Users users_;
  Tokens tokens_;
  Sessions sessions_;
  AuditLog audit_;
  Registry registry_;
};

}  // namespace registry
