// SQLite wrappers: errors become Status values, statements are cached per connection.
#include "db/sqlite.h"

#include <chrono>

namespace registry {

static Status StatusFromSqlite(int rc, std::string_view what, const char* detail) {
  std::string msg =
      "database error while " + std::string(what) + ": " + (detail ? detail : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return Status::NoSpace("the registry's disk is full (" + msg + ")");
    case SQLITE_CONSTRAINT:
      return Status::Conflict(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corrupt(msg);
    default:
      return Status::Io(msg);
  }
}

Statement::Statement(Database* db, sqlite3_stmt* stmt, Status status)
    : db_(db), stmt_(stmt), status_(std::move(status)) {}

Statement::~Statement() {
  if (stmt_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::Bind(int index, int64_t value) {
  if (stmt_ && status_.ok() && sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK)
    status_ = db_->Error("binding a parameter");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  if (stmt_ && status_.ok() &&
      sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    status_ = db_->Error("binding a parameter");
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}

Statement& Statement::BindBlob(int index, std::string_view value) {
  if (stmt_ && status_.ok() &&
      sqlite3_bind_blob(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK)
    status_ = db_->Error("binding a parameter");
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (stmt_ && status_.ok() && sqlite3_bind_null(stmt_, index) != SQLITE_OK)
    status_ = db_->Error("binding a parameter");
  return *this;
}

Statement& Statement::BindDouble(int index, double value) {
  if (stmt_ && status_.ok() && sqlite3_bind_double(stmt_, index, value) != SQLITE_OK)
    status_ = db_->Error("binding a parameter");
  return *this;
}

Result<bool> Statement::Step() {
  if (!status_.ok()) return status_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    if (!sqlite3_stmt_readonly(stmt_)) db_->NoteAutocommitWrite();
    return false;
  }
  return StatusFromSqlite(rc, "running a statement", sqlite3_errmsg(sqlite3_db_handle(stmt_)));
}

Status Statement::Run() {
  for (;;) {
    Result<bool> r = Step();
    if (!r.ok()) return r.status();
    if (!*r) return Status::Ok();
  }
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::Double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::Text(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(static_cast<const char*>(p), n) : std::string();
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  sqlite3* handle = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status st = StatusFromSqlite(rc, "opening " + path, handle ? sqlite3_errmsg(handle) : nullptr);
    sqlite3_close(handle);
    return st;
  }
  std::unique_ptr<Database> db(new Database(handle));
  sqlite3_busy_timeout(handle, 10000);
  // synchronous=FULL: an acknowledged commit survives power loss, not only a process crash.
  RETURN_IF_ERROR(
      db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  // Each worker thread has its own connection, each with its own page cache: SQLite's default
  // 2 MB each made 64 busy connections hold 128 MB. 512 KiB each; the OS page cache is shared.
  RETURN_IF_ERROR(db->Exec("PRAGMA cache_size=-512;"));
  return db;
}

Database::~Database() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Statement Database::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Statement(this, it->second, Status::Ok());
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Statement(this, nullptr, Error("preparing a statement"));
  cache_.emplace(std::string(sql), stmt);
  return Statement(this, stmt, Status::Ok());
}

Status Database::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string owned(sql);
  int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status st = StatusFromSqlite(rc, "executing SQL", err);
    sqlite3_free(err);
    return st;
  }
  NoteAutocommitWrite();
  return Status::Ok();
}

void Database::NoteAutocommitWrite() {
  if (!ledger_ || !sqlite3_get_autocommit(db_)) return;
  // Rows changed since the last note: ends of read-only transactions count for nothing.
  int64_t changes = sqlite3_total_changes64(db_);
  if (changes == noted_changes_) return;
  noted_changes_ = changes;
  ledger_->commits.fetch_add(1);
}

int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }

Status Database::Error(std::string_view what) const {
  return StatusFromSqlite(sqlite3_errcode(db_), what, sqlite3_errmsg(db_));
}

Transaction::Transaction(Database* db) : db_(db) {
  if (db_->ledger_) turn_ = std::unique_lock<std::mutex>(db_->ledger_->writer);
  status_ = db_->Exec("BEGIN IMMEDIATE");
  open_ = status_.ok();
  if (!open_ && turn_.owns_lock()) turn_.unlock();
}

Transaction::~Transaction() {
  if (open_) db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (!status_.ok()) return status_;
  Status st = db_->Exec("COMMIT");  // counts the commit in the ledger
  if (st.ok()) {
    open_ = false;
    if (turn_.owns_lock()) turn_.unlock();
  }
  return st;
}

ReadSnapshot::ReadSnapshot(Database* db) : db_(db) { status_ = db_->Exec("BEGIN"); }

ReadSnapshot::~ReadSnapshot() {
  if (status_.ok()) db_->Exec("ROLLBACK");
}

DatabasePool::Lease::~Lease() {
  if (!db_) return;
  std::lock_guard<std::mutex> lock(pool_->mu_);
  pool_->idle_.push_back(std::move(db_));
}

Result<DatabasePool::Lease> DatabasePool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Database> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db));
    }
  }
  Result<std::unique_ptr<Database>> db = Database::Open(path_);
  if (!db.ok()) return db.status();
  (*db)->ledger_ = &ledger_;
  return Lease(this, std::move(*db));
}

static int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

uint64_t DatabasePool::ChangeStamp() {
  int64_t now = SteadyNanos();
  if (now >= next_check_ns_.load(std::memory_order_relaxed)) CheckOtherWriters(now);
  // Both counts only grow, so their sum changes whenever either does.
  return ledger_.commits.load() + outside_changes_.load();
}

void DatabasePool::CheckOtherWriters(int64_t now_ns) {
  // One thread checks; the others go on with the stamp as it is.
  std::unique_lock<std::mutex> lock(watch_mu_, std::try_to_lock);
  if (!lock.owns_lock() || now_ns < next_check_ns_.load()) return;
  int64_t version = -1;
  if (!watch_) {
    Result<std::unique_ptr<Database>> db = Database::Open(path_);
    if (db.ok()) watch_ = std::move(*db);
  }
  if (watch_) {
    // Changes when any other connection, in any process, has committed since the last look.
    Statement st = watch_->Prepare("PRAGMA data_version");
    Result<bool> row = st.Step();
    if (row.ok() && *row) version = st.Int(0);
  }
  // Unknown (-1) counts as changed every time: caches then miss rather than go stale.
  if (version < 0 || version != data_version_) outside_changes_.fetch_add(1);
  data_version_ = version;
  next_check_ns_.store(SteadyNanos() + kRecheckNanos);
}

}  // namespace registry
