// Registry::Search: full-text search over crates, the exact name and names starting with the
// query first, then the other matches by relevance.
#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "crate/name.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"

namespace registry {

// The FTS5 query for what a user typed: every run of letters and digits becomes a quoted
// prefix term ("serde js" -> "serde"* "js"*), all required. Punctuation only separates terms,
// so no FTS5 syntax can be injected. Empty when there is no term.
static std::string FtsQuery(std::string_view text) {
  std::string out, term;
  auto flush = [&] {
    if (term.empty()) return;
    if (!out.empty()) out += ' ';
    out += "\"" + term + "\"*";
    term.clear();
  };
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      term += static_cast<char>(std::tolower(u));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// Ranks every match joined to `crates`, so the actor's crate patterns can limit both the hits
// and the count. Also serves the empty query (the most recently updated crates, off the
// update index) and the one-character one: that matches a large share of all crates, and
// ranking them all cost ~100 ms at 200,000 crates, so it lists the names starting with it
// instead, off the name index (`?1` is then the upper bound of the name range).
// `sort` other than relevance replaces the ranking with its own order.
static Result<SearchPage> SearchByJoin(Database* db, const Actor& actor, const std::string& q,
                                       std::string fts, int64_t per_page, int64_t offset,
                                       SearchSort sort) {
  SearchPage result;
  const std::string prefix = CanonicalCrateName(q);
  const bool one_char = prefix.size() == 1;
  if (one_char) fts = std::string(1, static_cast<char>(prefix[0] + 1));
  const std::string from = q.empty() ? " FROM crates c WHERE ?1 = '' AND "
                           : one_char
                               ? " FROM crates c WHERE c.canonical >= ?2 AND c.canonical < ?1 AND "
                               : " FROM crates_fts JOIN crates c ON c.id = crates_fts.rowid "
                                 "WHERE crates_fts MATCH ?1 AND ";
  Statement count = db->Prepare("SELECT count(*)" + from + CratePatternCondition(actor, 3));
  count.Bind(1, fts);
  if (one_char) count.Bind(2, prefix);
  BindCratePatterns(&count, actor, 3);
  Result<bool> crow = count.Step();
  if (!crow.ok()) return crow.status();
  result.total = count.Int(0);

  const std::string order =
      sort == SearchSort::kRecentUpdates ? " ORDER BY c.updated_at DESC, c.id DESC"
      : sort == SearchSort::kDownloads   ? " ORDER BY c.downloads DESC, c.canonical"
      : sort == SearchSort::kAlpha       ? " ORDER BY c.canonical"
      : q.empty()                        ? " ORDER BY c.updated_at DESC, c.id DESC"
      : one_char                         ? " ORDER BY c.canonical"
                 : " ORDER BY c.canonical = ?2 DESC, substr(c.canonical, 1, length(?2)) = ?2 DESC, "
                   "CASE WHEN substr(c.canonical, 1, length(?2)) = ?2 THEN c.canonical END, "
                   "bm25(crates_fts, 10.0, 1.0, 3.0), c.canonical";
  Statement st = db->Prepare(
      "SELECT c.name, c.max_version, coalesce(c.description, ''), c.updated_at, c.downloads" +
      from + CratePatternCondition(actor, 5) + order + " LIMIT ?3 OFFSET ?4");
  st.Bind(1, fts).Bind(2, prefix).Bind(3, per_page).Bind(4, offset);
  BindCratePatterns(&st, actor, 5);
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    result.crates.push_back(SearchHit{st.Text(0), st.Text(1), st.Text(2), st.Int(3), st.Int(4)});
  }
  return result;
}

static Result<int64_t> CountMatches(Database* db, const std::string& fts) {
  Statement st = db->Prepare("SELECT count(*) FROM crates_fts WHERE crates_fts MATCH ?1");
  st.Bind(1, fts);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  return st.Int(0);
}

// Up to `limit` ids of the crates whose canonical name starts with `prefix`, by name, off the
// name index. Each is a full-text match of the query `prefix` is the canonical form of, so
// the caller need not check: the query's terms are the letter-and-digit runs of `prefix`,
// and the tokens of a name are those of its canonical form, so each term but the last is a
// whole token of the name and the last is the start of one.
static Result<std::vector<int64_t>> NamePrefixIds(Database* db, const std::string& prefix,
                                                  int64_t limit) {
  std::vector<int64_t> ids;
  // Names are ASCII: a prefix holding another byte starts none, and an ASCII prefix's last
  // byte can be raised to give the end of its range.
  for (char c : prefix) {
    if (static_cast<unsigned char>(c) >= 0x80) return ids;
  }
  std::string end = prefix;
  ++end.back();
  Statement st = db->Prepare(
      "SELECT id FROM crates WHERE canonical >= ?1 AND canonical < ?2 ORDER BY canonical "
      "LIMIT ?3");
  st.Bind(1, prefix).Bind(2, end).Bind(3, limit);
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) return ids;
    ids.push_back(st.Int(0));
  }
}

// A full-text match with its relevance (bm25: lower is better) and canonical name.
struct ScoredMatch {
  int64_t id = 0;
  double score = 0;
  std::string canonical;
};

static Status ReadScored(Statement* st, std::vector<ScoredMatch>* out) {
  for (;;) {
    Result<bool> row = st->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    out->push_back(ScoredMatch{st->Int(0), st->Double(1), ""});
  }
}

// The `k` most relevant full-text matches and every match tying with the k-th: equal scores
// are ordered by name, which the full-text table lacks, so a cut through a tie could keep a
// crate that a dropped one precedes. Ties are common (short descriptions of equal length
// matching once), hence the second scan of the matches when the (k+1)-th ties with the k-th.
static Result<std::vector<ScoredMatch>> TopByRelevance(Database* db, const std::string& fts,
                                                       int64_t k) {
  const std::string scored =
      "SELECT rowid, bm25(crates_fts, 10.0, 1.0, 3.0) AS score FROM crates_fts "
      "WHERE crates_fts MATCH ?1";
  std::vector<ScoredMatch> top;
  {
    Statement st = db->Prepare(scored + " ORDER BY score LIMIT ?2");
    st.Bind(1, fts).Bind(2, k + 1);
    RETURN_IF_ERROR(ReadScored(&st, &top));
  }
  const size_t n = static_cast<size_t>(k);
  if (top.size() <= n) return top;
  if (top[n].score != top[n - 1].score) {
    top.pop_back();
    return top;
  }
  const double last = top[n - 1].score;
  top.clear();
  Statement st = db->Prepare("SELECT rowid, score FROM (" + scored + ") WHERE score <= ?2");
  st.Bind(1, fts).BindDouble(2, last);
  RETURN_IF_ERROR(ReadScored(&st, &top));
  return top;
}

// Fills in each match's canonical name; drops a match without a crate row, as a join would.
static Status LookUpCanonical(Database* db, std::vector<ScoredMatch>* matches) {
  std::vector<ScoredMatch> found;
  for (ScoredMatch& m : *matches) {
    Statement st = db->Prepare("SELECT canonical FROM crates WHERE id = ?1");
    st.Bind(1, m.id);
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) continue;
    m.canonical = st.Text(0);
    found.push_back(std::move(m));
  }
  *matches = std::move(found);
  return Status::Ok();
}

// Positions [skip, skip + take) of the matches whose name does not start with `prefix`, by
// relevance, then name. `name_matches` is how many names do start with it: the best
// skip + take + name_matches matches by relevance hold at least skip + take others.
static Result<std::vector<int64_t>> OthersByRelevance(Database* db, const std::string& fts,
                                                      const std::string& prefix, int64_t skip,
                                                      int64_t take, int64_t name_matches) {
  Result<std::vector<ScoredMatch>> top = TopByRelevance(db, fts, skip + take + name_matches);
  if (!top.ok()) return top.status();
  RETURN_IF_ERROR(LookUpCanonical(db, &*top));
  std::vector<ScoredMatch> others;
  for (ScoredMatch& m : *top) {
    if (m.canonical.compare(0, prefix.size(), prefix) != 0) others.push_back(std::move(m));
  }
  std::sort(others.begin(), others.end(), [](const ScoredMatch& a, const ScoredMatch& b) {
    return a.score != b.score ? a.score < b.score : a.canonical < b.canonical;
  });
  std::vector<int64_t> ids;
  const size_t end = std::min(others.size(), static_cast<size_t>(skip + take));
  for (size_t i = static_cast<size_t>(skip); i < end; ++i) ids.push_back(others[i].id);
  return ids;
}

// The crates with these ids, in this order.
static Result<std::vector<SearchHit>> LoadHits(Database* db, const std::vector<int64_t>& ids) {
  std::vector<SearchHit> hits;
  for (int64_t id : ids) {
    Statement st = db->Prepare(
        "SELECT name, max_version, coalesce(description, ''), updated_at, downloads "
        "FROM crates WHERE id = ?1");
    st.Bind(1, id);
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (*row) hits.push_back(SearchHit{st.Text(0), st.Text(1), st.Text(2), st.Int(3), st.Int(4)});
  }
  return hits;
}

// The order of SearchByJoin without joining every match to `crates` (at 200,000 crates the
// join took 3.8 ms of the count and 8.7 ms of the ranking): the total counts the full-text
// table alone, the names starting with `prefix` come off the name index, and only the most
// relevant other matches the page needs are looked up. A page within the names needs no
// ranking at all. One snapshot, so that the counts, scores and rows of the steps agree.
static Result<SearchPage> SearchRanked(Database* db, const std::string& fts,
                                       const std::string& prefix, int64_t per_page,
                                       int64_t offset) {
  SearchPage result;
  ReadSnapshot snapshot(db);
  RETURN_IF_ERROR(snapshot.status());
  Result<int64_t> total = CountMatches(db, fts);
  if (!total.ok()) return total.status();
  result.total = *total;
  const int64_t end = std::min(offset + per_page, result.total);
  if (offset >= end) return result;

  Result<std::vector<int64_t>> named = NamePrefixIds(db, prefix, end);
  if (!named.ok()) return named.status();
  const int64_t name_matches = static_cast<int64_t>(named->size());
  std::vector<int64_t> ids;
  for (int64_t i = offset; i < name_matches; ++i) ids.push_back((*named)[i]);
  if (name_matches < end) {
    // Fewer than asked for, so that is all of them: the page goes on into the other matches.
    const int64_t from = std::max(offset, name_matches);
    Result<std::vector<int64_t>> others =
        OthersByRelevance(db, fts, prefix, from - name_matches, end - from, name_matches);
    if (!others.ok()) return others.status();
    ids.insert(ids.end(), others->begin(), others->end());
  }
  Result<std::vector<SearchHit>> hits = LoadHits(db, ids);
  if (!hits.ok()) return hits.status();
  result.crates = std::move(*hits);
  return result;
}

Result<SearchSort> ParseSearchSort(std::string_view text) {
  if (text.empty() || text == "relevance") return SearchSort::kRelevance;
  if (text == "recent-updates") return SearchSort::kRecentUpdates;
  if (text == "downloads") return SearchSort::kDownloads;
  if (text == "alpha") return SearchSort::kAlpha;
  return Status::Invalid("unknown sort \"" + std::string(text.substr(0, 40)) +
                         "\": use relevance, recent-updates, downloads or alpha");
}

Result<SearchPage> Registry::Search(const Actor& actor, std::string_view query, int per_page,
                                    int page, SearchSort sort) {
  RETURN_IF_ERROR(actor.RequireRead(""));
  if (per_page < 1) per_page = 10;
  if (per_page > 100) per_page = 100;
  if (page < 1) page = 1;
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  std::string q(query);
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.back()))) q.pop_back();
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.front()))) q.erase(0, 1);
  std::string fts = FtsQuery(q);
  if (!q.empty() && fts.empty()) return SearchPage{};

  const std::string prefix = CanonicalCrateName(q);
  const int64_t offset = int64_t{per_page} * (page - 1);
  // Only the relevance order of a longer query needs the ranked path's shortcuts.
  if (q.empty() || prefix.size() == 1 || !actor.crate_patterns.empty() ||
      sort != SearchSort::kRelevance)
    return SearchByJoin(db->get(), actor, q, fts, per_page, offset, sort);
  return SearchRanked(db->get(), fts, prefix, per_page, offset);
}

}  // namespace registry
