// Reads a Kellnr data directory's crate_index table into versions to import.
#include "import/kellnr_dir.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "import/crate_loaders.h"
#include "import/index_dir.h"

namespace registry {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};

std::string Column(sqlite3_stmt* st, int i) {
  const unsigned char* text = sqlite3_column_text(st, i);
  return text != nullptr ? reinterpret_cast<const char*>(text) : "";
}

// A JSON column, or `fallback` when NULL or not JSON.
nlohmann::ordered_json JsonColumn(sqlite3_stmt* st, int i, nlohmann::ordered_json fallback) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL) return fallback;
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(Column(st, i), nullptr, false);
  return json.is_discarded() ? fallback : json;
}

// Kellnr's timestamp ("2024-05-01 10:00:00.123" or RFC 3339) in the index's form
// ("2024-05-01T10:00:00Z"); "" when it is neither.
std::string IndexPubtime(std::string text) {
  if (text.size() < 19) return "";
  text = text.substr(0, 19);
  if (text[10] == ' ') text[10] = 'T';
  for (size_t i = 0; i < text.size(); ++i) {
    bool digit = text[i] >= '0' && text[i] <= '9';
    char want = i == 4 || i == 7 ? '-' : i == 10 ? 'T' : i == 13 || i == 16 ? ':' : 0;
    if (want != 0 ? text[i] != want : !digit) return "";
  }
  return text + "Z";
}

}  // namespace

bool IsKellnrDir(const std::string& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir + "/db.sqlite", ec) &&
         std::filesystem::is_directory(dir + "/crates", ec);
}

Result<std::vector<SourceVersion>> ListKellnrDir(const std::string& data_dir) {
  sqlite3* raw = nullptr;
  std::string path = data_dir + "/db.sqlite";
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK) {
    return Status::Io("cannot open `" + path + "`: " + sqlite3_errstr(rc));
  }
  sqlite3_busy_timeout(db.get(), 5000);
  // pubtime is a later addition to Kellnr's table; read it only when it is there.
  bool has_pubtime = false;
  {
    sqlite3_stmt* info = nullptr;
    sqlite3_prepare_v2(db.get(), "SELECT 1 FROM pragma_table_info('crate_index') WHERE name = 'pubtime'",
                       -1, &info, nullptr);
    std::unique_ptr<sqlite3_stmt, StmtFinalizer> guard(info);
    has_pubtime = info != nullptr && sqlite3_step(info) == SQLITE_ROW;
  }
  std::string sql = "SELECT name, vers, deps, cksum, features, yanked, links, v" +
                    std::string(has_pubtime ? ", pubtime" : "") +
                    " FROM crate_index ORDER BY id";
  sqlite3_stmt* raw_st = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw_st, nullptr) != SQLITE_OK) {
    return Status::Invalid("`" + path + "` is not a Kellnr database (" +
                           sqlite3_errmsg(db.get()) + ")");
  }
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> st(raw_st);
  CrateLoader loader = DirCrateLoader(data_dir + "/crates");
  std::vector<SourceVersion> out;
  for (;;) {
    rc = sqlite3_step(st.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      return Status::Io("reading `" + path + "`: " + std::string(sqlite3_errmsg(db.get())));
    }
    nlohmann::ordered_json line;
    std::string name = Column(st.get(), 0), vers = Column(st.get(), 1), cksum = Column(st.get(), 3);
    line["name"] = name;
    line["vers"] = vers;
    line["deps"] = JsonColumn(st.get(), 2, nlohmann::ordered_json::array());
    line["cksum"] = cksum;
    line["features"] = JsonColumn(st.get(), 4, nlohmann::ordered_json::object());
    line["yanked"] = sqlite3_column_int(st.get(), 5) != 0;
    line["links"] = sqlite3_column_type(st.get(), 6) == SQLITE_NULL
                        ? nlohmann::ordered_json(nullptr)
                        : nlohmann::ordered_json(Column(st.get(), 6));
    if (sqlite3_column_type(st.get(), 7) != SQLITE_NULL) line["v"] = sqlite3_column_int(st.get(), 7);
    if (has_pubtime && sqlite3_column_type(st.get(), 8) != SQLITE_NULL) {
      std::string pubtime = IndexPubtime(Column(st.get(), 8));
      if (!pubtime.empty()) line["pubtime"] = pubtime;
    }
    Result<SourceVersion> v = VersionFromIndexLine(
        line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace), loader);
    if (!v.ok()) return Status::Invalid("`" + path + "`, crate_index row: " + v.status().message());
    out.push_back(std::move(*v));
  }
  return out;
}

}  // namespace registry
