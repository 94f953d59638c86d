// RAII owners for SQLite connections, cached prepared statements and transactions.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

class Database;

// A prepared statement borrowed from its Database's cache; reset and unbound when destroyed.
// Lives on one thread, like the connection it came from.
class Statement {
 public:
  Statement(Database* db, sqlite3_stmt* stmt, Status status);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, const std::optional<std::string>& value);
  Statement& BindBlob(int index, std::string_view value);
  Statement& BindNull(int index);
  // Not an overload of Bind: an int argument would be ambiguous between int64_t and double.
  Statement& BindDouble(int index, double value);

  // True when a row is ready to read, false when the statement is done.
  Result<bool> Step();
  // Steps to completion; for statements that return no rows.
  Status Run();

  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  bool IsNull(int column) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_;
  Status status_;  // the first error: a failed prepare or bind
};

// One SQLite connection. Not thread-safe: each thread uses its own (see DatabasePool).
class Database {
 public:
  // Opens (creating if needed) the database at `path` in WAL mode with synchronous=FULL,
  // foreign keys on, and a busy timeout so CLI commands and the server can share the file.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A statement from the cache (prepared once per connection).
  Statement Prepare(std::string_view sql);
  // Runs one or more statements without results (DDL, pragmas).
  Status Exec(std::string_view sql);
  int64_t LastInsertId() const;
  int Changes() const;
  sqlite3* handle() { return db_; }

  // The Status for the last error on this connection, with `what` as context.
  Status Error(std::string_view what) const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

// BEGIN IMMEDIATE on construction (taking the write lock up front, so two writers never
// deadlock upgrading); ROLLBACK on destruction unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Database* db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& status() const { return status_; }
  Status Commit();

 private:
  Database* db_;
  Status status_;
  bool open_ = false;
};

// BEGIN (deferred) on construction and its end on destruction: the reads in between see one
// snapshot of the database, whatever other connections commit meanwhile, so several queries
// answering one request agree. For reads only; Transaction is for writes.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database* db);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  const Status& status() const { return status_; }

 private:
  Database* db_;
  Status status_;
};

// Connections to one database file, handed out one per borrower. Thread-safe.
class DatabasePool {
 public:
  explicit DatabasePool(std::string path) : path_(std::move(path)) {}

  // Returns a connection to the pool when destroyed.
  class Lease {
   public:
    Lease(DatabasePool* pool, std::unique_ptr<Database> db) : pool_(pool), db_(std::move(db)) {}
    ~Lease();
    Lease(Lease&&) = default;
    Database* operator->() { return db_.get(); }
    Database* get() { return db_.get(); }

   private:
    DatabasePool* pool_;
    std::unique_ptr<Database> db_;
  };

  Result<Lease> Acquire();

 private:
  std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Database>> idle_;  // guarded by mu_
};

}  // namespace registry
