// RAII owners for SQLite connections, cached prepared statements and transactions.
#pragma once

#include <sqlite3.h>

#include <atomic>
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

// What the connections of one pool share: a lock that queues this process's writers in turn
// (SQLite's busy handler makes a waiting writer sleep 1-100 ms at a time, which set the
// publish p99 at concurrency 4), and a count that grows with every write committed through
// them (see DatabasePool::ChangeStamp).
struct WriteLedger {
  std::mutex writer;
  std::atomic<uint64_t> commits{0};
};

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
  friend class DatabasePool;
  friend class Statement;
  friend class Transaction;
  explicit Database(sqlite3* db) : db_(db) {}
  // Counts the rows written since the last call in the pool's ledger, once the connection is
  // back in autocommit mode (the write committed or rolled back), if pooled.
  void NoteAutocommitWrite();

  sqlite3* db_;
  WriteLedger* ledger_ = nullptr;  // the pool's, or null for a connection of its own
  int64_t noted_changes_ = 0;      // sqlite3_total_changes64 when last counted
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

// BEGIN IMMEDIATE on construction (taking the write lock up front, so two writers never
// deadlock upgrading); ROLLBACK on destruction unless Commit() succeeded. On a pooled
// connection it first waits its turn behind the process's other writers. A thread must not
// open a second Transaction on the same pool while one is open.
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
  std::unique_lock<std::mutex> turn_;  // the pool's writer lock, while open
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

  // A number that changes whenever a write is committed to the database: at once for this
  // pool's own writes, and within kRecheckNanos of the commit for other processes' (seen
  // by PRAGMA data_version on a connection kept for that). Results of reads made after
  // taking a stamp stay valid while the stamp does; caches keep them tagged with it.
  uint64_t ChangeStamp();
  static constexpr int64_t kRecheckNanos = 1'000'000;

 private:
  void CheckOtherWriters(int64_t now_ns);

  std::string path_;
  WriteLedger ledger_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Database>> idle_;  // guarded by mu_

  std::atomic<int64_t> next_check_ns_{0};
  std::atomic<uint64_t> outside_changes_{0};
  std::mutex watch_mu_;
  std::unique_ptr<Database> watch_;  // guarded by watch_mu_
  int64_t data_version_ = -1;        // guarded by watch_mu_
};

}  // namespace registry
