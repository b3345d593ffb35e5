// The runner of the search benchmark (tools/bench/search): loads a workspace's public catalogue
// into PostgreSQL full-text search and SQLite FTS5, and runs one query mix in-process against
// findbuch's Xapian index (run_search with limit 20, as `findbuch search` does), PostgreSQL and
// SQLite.
//
//   search_runner load-pg WORKSPACE TODAY CONNINFO
//   search_runner load-sqlite WORKSPACE TODAY DBFILE
//   search_runner run xapian|pg|sqlite TARGET QUERIES.tsv OUT.tsv
//
// Loading sees what the public index sees: every unit is decided by the access policy as of
// TODAY, hidden units are left out and closed ones are stubs (Signatur and Laufzeit only), so
// all three engines search the same documents. Each row carries the facet values the Xapian
// documents have (Bestand, decade of the first year) and the years for the Laufzeit overlap.
//
// `run` makes a warm-up pass over the whole mix, then the timed pass in the same order; it
// writes one line per query (category, milliseconds, total hits, whether that total is exact,
// the exact total — counted afterwards, untimed, where the engine estimated —, hits on the
// page, query) to OUT.tsv and prints median and p99 per category. Facets (Bestand
// and decade counts in PostgreSQL and SQLite; all six in findbuch) only for the facet queries.
// TARGET: the index folder (xapian), a libpq connection string (pg) or the database file (sqlite).
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalogue/access_policy.hpp"
#include "search/search_index.hpp"
#include "store/workspace.hpp"

namespace {

using findbuch::AccessDecision;
using findbuch::AncestorFacts;
using findbuch::Date;
using findbuch::IndexTerm;
using findbuch::Level;
using findbuch::Unit;
using findbuch::Visibility;
using findbuch::Workspace;
using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& message) {
  throw std::runtime_error(message);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ------------------------------------------------------------------------------------------
// The public view of the catalogue, one row per unit
// ------------------------------------------------------------------------------------------

struct Row {
  std::int64_t id = 0;
  std::string signatur, title, body, level, bestand, group, century, decade;
  std::optional<int> year_from, year_to;
  bool stub = false;
};

// What the children of a unit inherit: the ancestors' access facts, the Bestand, the group.
struct Above {
  AncestorFacts facts;
  std::string bestand, bestand_title, group;
  bool root = true;
};

class PublicView {
 public:
  PublicView(Workspace& ws, Date today) : ws_(ws), policy_(ws.policy()), today_(today) {
    ws.catalogue().for_each_unit(findbuch::Catalogue::Scope::Parents,
                                 [&](const Unit& u) { parents_.emplace(u.id, u); });
  }

  /// Visits every unit the public index holds (hidden ones are left out), in id order.
  template <typename Visit>
  void for_each(Visit visit) {
    ws_.catalogue().for_each_unit(findbuch::Catalogue::Scope::All, [&](const Unit& u) {
      const Above& above = below(u.parent_id);
      const AccessDecision decision = policy_.decide(u, above.facts, today_);
      if (decision.visibility == Visibility::Hidden) return;
      visit(row(u, above, decision.visibility == Visibility::RedactedStub));
    });
  }

 private:
  const Above& below(std::int64_t id) {
    if (id == 0) return root_;
    if (auto it = below_.find(id); it != below_.end()) return it->second;
    const Unit& unit = parents_.at(id);
    const Above& above = below(unit.parent_id);
    Above next = above;
    next.facts.add(unit, policy_.decide(unit, above.facts, today_));
    if (unit.level == Level::Bestand) {
      next.bestand = unit.signatur;
      next.bestand_title = unit.title;
    }
    if (above.root) next.group = unit.signatur;
    next.root = false;
    return below_.emplace(id, std::move(next)).first->second;
  }

  static Row row(const Unit& u, const Above& above, bool stub) {
    Row r;
    r.id = u.id;
    r.signatur = u.signatur;
    r.level = std::string(findbuch::level_info(u.level).key);
    r.bestand = u.level == Level::Bestand ? u.signatur : above.bestand;
    r.group = above.group;
    if (u.laufzeit.from && u.laufzeit.to) {
      const int from = u.laufzeit.from->year;
      r.year_from = from;
      r.year_to = u.laufzeit.to->year;
      r.century = std::to_string(from / 100 + 1) + ". Jh.";
      r.decade = std::to_string(from / 10 * 10) + "er";
    }
    r.stub = stub;
    // The fields the Xapian document has (src/search/field_map.cpp), title apart.
    std::string& b = r.body;
    const auto add = [&b](const std::string& text) {
      if (text.empty()) return;
      if (!b.empty()) b += " ";
      b += text;
    };
    add(u.signatur);
    add(u.laufzeit.text);
    if (stub) return r;
    r.title = u.title;
    add(u.enthaelt);
    add(u.darin);
    add(u.creator);
    for (const auto& t : u.index_terms) add(t.name);
    for (const auto& p : u.persons_concerned) add(p.name);
    // Not the Bestand's signature and title: findbuch indexes them under bestand: only, not in
    // the plain text (a word of the title would find the whole Bestand).
    return r;
  }

  Workspace& ws_;
  findbuch::AccessPolicy policy_;
  Date today_;
  std::unordered_map<std::int64_t, Unit> parents_;
  Above root_;
  std::unordered_map<std::int64_t, Above> below_;
};

// ------------------------------------------------------------------------------------------
// PostgreSQL
// ------------------------------------------------------------------------------------------

class Pg {
 public:
  explicit Pg(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) fail(std::string("PostgreSQL: ") + PQerrorMessage(conn_));
  }
  ~Pg() { PQfinish(conn_); }
  Pg(const Pg&) = delete;
  Pg& operator=(const Pg&) = delete;

  void exec(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string message = PQresultErrorMessage(res);
      PQclear(res);
      fail("PostgreSQL: " + message + "in: " + sql);
    }
    PQclear(res);
  }

  /// Runs `sql` with text parameters; returns the rows as strings.
  std::vector<std::vector<std::string>> query(const std::string& sql,
                                              const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* res = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
      const std::string message = PQresultErrorMessage(res);
      PQclear(res);
      fail("PostgreSQL: " + message + "in: " + sql);
    }
    std::vector<std::vector<std::string>> rows(static_cast<std::size_t>(PQntuples(res)));
    for (int i = 0; i < PQntuples(res); ++i) {
      for (int j = 0; j < PQnfields(res); ++j) rows[i].emplace_back(PQgetvalue(res, i, j));
    }
    PQclear(res);
    return rows;
  }

  void copy_in(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    if (PQresultStatus(res) != PGRES_COPY_IN) fail(std::string("COPY: ") + PQerrorMessage(conn_));
    PQclear(res);
  }
  void put(const std::string& data) {
    if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1)
      fail(std::string("COPY: ") + PQerrorMessage(conn_));
  }
  void end_copy() {
    if (PQputCopyEnd(conn_, nullptr) != 1) fail(std::string("COPY: ") + PQerrorMessage(conn_));
    PGresult* res = PQgetResult(conn_);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      const std::string message = PQresultErrorMessage(res);
      PQclear(res);
      fail("COPY: " + message);
    }
    PQclear(res);
    while ((res = PQgetResult(conn_)) != nullptr) PQclear(res);
  }

 private:
  PGconn* conn_;
};

void copy_field(std::string& out, const std::string& value) {
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

void copy_text(std::string& out, const std::string& value, bool last = false) {
  if (value.empty())
    out += "\\N";
  else
    copy_field(out, value);
  out += last ? '\n' : '\t';
}

void copy_year(std::string& out, const std::optional<int>& year) {
  out += year ? std::to_string(*year) : std::string("\\N");
  out += '\t';
}

int load_pg(Workspace& ws, Date today, const std::string& conninfo) {
  Pg pg(conninfo);
  pg.exec("SET client_min_messages = warning");
  pg.exec("DROP TABLE IF EXISTS units");
  // The document: title weighted A, everything else B, German configuration.
  pg.exec(
      "CREATE TABLE units (id bigint PRIMARY KEY, signatur text NOT NULL, title text, "
      "body text, level text NOT NULL, bestand text, grp text, year_from int, year_to int, "
      "century text, decade text, stub boolean NOT NULL, "
      "tsv tsvector GENERATED ALWAYS AS ("
      "setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A') || "
      "setweight(to_tsvector('german'::regconfig, coalesce(body, '')), 'B')) STORED)");
  const auto start = Clock::now();
  pg.copy_in(
      "COPY units (id, signatur, title, body, level, bestand, grp, year_from, year_to, century, "
      "decade, stub) FROM STDIN");
  std::string buffer;
  std::int64_t rows = 0, stubs = 0;
  PublicView(ws, today).for_each([&](const Row& r) {
    buffer += std::to_string(r.id);
    buffer += '\t';
    copy_text(buffer, r.signatur);
    copy_text(buffer, r.title);
    copy_text(buffer, r.body);
    copy_text(buffer, r.level);
    copy_text(buffer, r.bestand);
    copy_text(buffer, r.group);
    copy_year(buffer, r.year_from);
    copy_year(buffer, r.year_to);
    copy_text(buffer, r.century);
    copy_text(buffer, r.decade);
    buffer += r.stub ? "t\n" : "f\n";
    ++rows;
    stubs += r.stub ? 1 : 0;
    if (buffer.size() > (1 << 20)) {
      pg.put(buffer);
      buffer.clear();
    }
  });
  pg.put(buffer);
  pg.end_copy();
  const double copy_s = seconds_since(start);
  const auto index_start = Clock::now();
  pg.exec("CREATE INDEX units_tsv ON units USING gin (tsv)");
  pg.exec("ANALYZE units");
  const double index_s = seconds_since(index_start);
  pg.exec("CHECKPOINT");
  const auto sizes = pg.query(
      "SELECT pg_relation_size('units_tsv'), pg_total_relation_size('units'), "
      "pg_database_size(current_database())",
      {});
  std::cout << "rows=" << rows << " stubs=" << stubs << " copy_s=" << std::fixed
            << std::setprecision(2) << copy_s << " index_s=" << index_s
            << " total_s=" << copy_s + index_s << " gin_bytes=" << sizes[0][0]
            << " table_bytes=" << sizes[0][1] << " database_bytes=" << sizes[0][2] << "\n";
  return 0;
}

// ------------------------------------------------------------------------------------------
// SQLite FTS5
// ------------------------------------------------------------------------------------------

class Lite {
 public:
  explicit Lite(const std::string& file, bool create) {
    const int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(file.c_str(), &db_, flags, nullptr) != SQLITE_OK)
      fail("SQLite: " + file + ": " + sqlite3_errmsg(db_));
  }
  ~Lite() { sqlite3_close(db_); }
  Lite(const Lite&) = delete;
  Lite& operator=(const Lite&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      fail("SQLite: " + message + " in: " + sql);
    }
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      fail("SQLite: " + std::string(sqlite3_errmsg(db_)) + " in: " + sql);
    return stmt;
  }
  std::int64_t scalar(const std::string& sql) {
    sqlite3_stmt* stmt = prepare(sql);
    std::int64_t value = 0;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
  }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

void bind_text(sqlite3_stmt* stmt, int index, const std::string& value) {
  if (value.empty())
    sqlite3_bind_null(stmt, index);
  else
    sqlite3_bind_text(stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

int load_sqlite(Workspace& ws, Date today, const std::string& file) {
  std::remove(file.c_str());
  Lite db(file, true);
  db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096");
  db.exec(
      "CREATE TABLE units (id INTEGER PRIMARY KEY, signatur TEXT NOT NULL, title TEXT, body TEXT, "
      "level TEXT NOT NULL, bestand TEXT, grp TEXT, year_from INTEGER, year_to INTEGER, "
      "century TEXT, decade TEXT, stub INTEGER NOT NULL)");
  db.exec(
      "CREATE VIRTUAL TABLE units_fts USING fts5(title, body, content='units', "
      "content_rowid='id', tokenize='unicode61 remove_diacritics 2')");
  const auto start = Clock::now();
  db.exec("BEGIN");
  sqlite3_stmt* insert = db.prepare("INSERT INTO units VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  std::int64_t rows = 0, stubs = 0;
  PublicView(ws, today).for_each([&](const Row& r) {
    sqlite3_bind_int64(insert, 1, r.id);
    bind_text(insert, 2, r.signatur);
    bind_text(insert, 3, r.title);
    bind_text(insert, 4, r.body);
    bind_text(insert, 5, r.level);
    bind_text(insert, 6, r.bestand);
    bind_text(insert, 7, r.group);
    if (r.year_from)
      sqlite3_bind_int(insert, 8, *r.year_from);
    else
      sqlite3_bind_null(insert, 8);
    if (r.year_to)
      sqlite3_bind_int(insert, 9, *r.year_to);
    else
      sqlite3_bind_null(insert, 9);
    bind_text(insert, 10, r.century);
    bind_text(insert, 11, r.decade);
    sqlite3_bind_int(insert, 12, r.stub ? 1 : 0);
    if (sqlite3_step(insert) != SQLITE_DONE)
      fail(std::string("SQLite insert: ") + sqlite3_errmsg(db.handle()));
    sqlite3_reset(insert);
    ++rows;
    stubs += r.stub ? 1 : 0;
  });
  sqlite3_finalize(insert);
  db.exec("COMMIT");
  const double copy_s = seconds_since(start);
  const auto index_start = Clock::now();
  db.exec("INSERT INTO units_fts(units_fts) VALUES('rebuild')");
  db.exec("INSERT INTO units_fts(units_fts) VALUES('optimize')");
  db.exec("ANALYZE");
  const double index_s = seconds_since(index_start);
  const std::int64_t fts_bytes =
      db.scalar("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'units_fts%'");
  const std::int64_t file_bytes =
      db.scalar("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
  std::cout << "rows=" << rows << " stubs=" << stubs << " copy_s=" << std::fixed
            << std::setprecision(2) << copy_s << " index_s=" << index_s
            << " total_s=" << copy_s + index_s << " fts_bytes=" << fts_bytes
            << " file_bytes=" << file_bytes << "\n";
  return 0;
}

// ------------------------------------------------------------------------------------------
// The query mix
// ------------------------------------------------------------------------------------------

struct Query {
  std::string category, text;
  std::optional<int> from, to;
  bool facets() const { return category == "facets"; }
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::string::size_type start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

std::vector<Query> read_queries(const std::string& file) {
  std::ifstream in(file);
  if (!in) fail("cannot read " + file);
  std::vector<Query> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto f = split_tabs(line);
    if (f.size() < 4) fail(file + ": expected 4 columns: " + line);
    Query q{f[0], f[1], {}, {}};
    if (!f[2].empty()) q.from = std::stoi(f[2]);
    if (!f[3].empty()) q.to = std::stoi(f[3]);
    out.push_back(std::move(q));
  }
  return out;
}

/// FTS5 syntax for what a reader types: every word and every "phrase" as a quoted string
/// (implicit AND), so that hyphens, dots and FTS5 keywords are just text.
std::string fts5_query(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  bool quoted = false;
  const auto flush = [&] {
    bool has_word = false;
    for (const char c : current)
      has_word |=
          (static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c)));
    if (has_word) {
      std::string q = "\"";
      for (const char c : current) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      parts.push_back(q + "\"");
    }
    current.clear();
  };
  for (const char c : text) {
    if (c == '"') {
      flush();
      quoted = !quoted;
    } else if (c == ' ' && !quoted) {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

struct Outcome {
  std::int64_t total = 0;
  bool exact = true;  ///< else the engine's estimate
  int hits = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual Outcome search(const Query& q) = 0;
  /// The exact total where search() gave an estimate (not timed: for comparing the engines).
  virtual std::int64_t exact_total(const Query& q) { return search(q).total; }
};

class XapianEngine final : public Engine {
 public:
  // One Searcher for the whole run, as a web server keeps one: the index stays open.
  explicit XapianEngine(std::string index) : index_(std::move(index)), searcher_(index_) {}
  Outcome search(const Query& q) override {
    findbuch::search::SearchRequest r;
    r.query = q.text;
    r.from_year = q.from;
    r.to_year = q.to;
    r.limit = 20;
    // Facet queries count every facet (Bestand, group, level, century, decade, digitised) over
    // all matches, with the exact total; the others stop once the page of 20 is certain and
    // report Xapian's estimate of the total.
    r.facets = q.facets();
    const auto result = searcher_.search(r);
    return {result.total, result.total_exact, static_cast<int>(result.hits.size())};
  }
  std::int64_t exact_total(const Query& q) override {
    findbuch::search::SearchRequest r;
    r.query = q.text;
    r.from_year = q.from;
    r.to_year = q.to;
    r.limit = 0;
    r.limit = 0;
    r.facets = false;
    r.count_every_match = true;
    return searcher_.search(r).total;
  }

 private:
  std::string index_;
  findbuch::search::Searcher searcher_;
};

class PgEngine final : public Engine {
 public:
  explicit PgEngine(const std::string& conninfo) : pg_(conninfo) {
    // "query contains only stop words" notices: such a query simply finds nothing.
    pg_.exec("SET client_min_messages = warning");
  }
  Outcome search(const Query& q) override {
    std::vector<std::string> params{q.text};
    std::string where = "tsv @@ websearch_to_tsquery('german', $1)";
    if (q.from && q.to) {
      params.push_back(std::to_string(*q.from));
      params.push_back(std::to_string(*q.to));
      where += " AND year_from <= $3::int AND year_to >= $2::int";
    }
    const auto hits =
        pg_.query("SELECT signatur, title FROM units WHERE " + where +
                      " ORDER BY ts_rank_cd(tsv, websearch_to_tsquery('german', $1)) DESC LIMIT 20",
                  params);
    Outcome out;
    out.hits = static_cast<int>(hits.size());
    out.total = std::stoll(pg_.query("SELECT count(*) FROM units WHERE " + where, params)[0][0]);
    if (q.facets()) {
      for (const char* column : {"bestand", "decade"}) {
        pg_.query(std::string("SELECT ") + column + ", count(*) FROM units WHERE " + where +
                      " GROUP BY 1 ORDER BY 2 DESC",
                  params);
      }
    }
    return out;
  }

 private:
  Pg pg_;
};

class SqliteEngine final : public Engine {
 public:
  explicit SqliteEngine(const std::string& file) : db_(file, false) {
    db_.exec("PRAGMA cache_size = -262144");  // 256 MiB
  }
  Outcome search(const Query& q) override {
    const std::string match = fts5_query(q.text);
    const bool dated = q.from && q.to;
    const std::string join = " FROM units_fts JOIN units u ON u.id = units_fts.rowid";
    std::string where = " WHERE units_fts MATCH ?1";
    if (dated) where += " AND u.year_from <= ?3 AND u.year_to >= ?2";
    Outcome out;
    out.hits = run("SELECT u.signatur, u.title" + join + where +
                       " ORDER BY bm25(units_fts, 5.0, 1.0) LIMIT 20",
                   match, q, nullptr);
    std::int64_t total = 0;
    run(dated ? "SELECT count(*)" + join + where
              : std::string("SELECT count(*) FROM units_fts WHERE units_fts MATCH ?1"),
        match, q, &total);
    out.total = total;
    if (q.facets()) {
      for (const char* column : {"bestand", "decade"}) {
        run(std::string("SELECT u.") + column + ", count(*)" + join + where +
                " GROUP BY 1 ORDER BY 2 DESC",
            match, q, nullptr);
      }
    }
    return out;
  }

 private:
  int run(const std::string& sql, const std::string& match, const Query& q, std::int64_t* first) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.emplace(sql, db_.prepare(sql)).first;
    sqlite3_stmt* stmt = it->second;
    sqlite3_reset(stmt);
    sqlite3_bind_text(stmt, 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
    if (q.from && q.to) {
      sqlite3_bind_int(stmt, 2, *q.from);
      sqlite3_bind_int(stmt, 3, *q.to);
    }
    int rows = 0;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (first && rows == 0) *first = sqlite3_column_int64(stmt, 0);
      // Read the columns as an application would.
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) sqlite3_column_text(stmt, c);
      ++rows;
    }
    if (rc != SQLITE_DONE)
      fail("SQLite: " + std::string(sqlite3_errmsg(db_.handle())) + " for " + match);
    return rows;
  }

  Lite db_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::max<std::size_t>(rank, 1) - 1];
}

int run_mix(const std::string& engine_name, const std::string& target, const std::string& file,
            const std::string& out_file) {
  std::unique_ptr<Engine> engine;
  if (engine_name == "xapian")
    engine = std::make_unique<XapianEngine>(target);
  else if (engine_name == "pg")
    engine = std::make_unique<PgEngine>(target);
  else if (engine_name == "sqlite")
    engine = std::make_unique<SqliteEngine>(target);
  else
    fail("unknown engine " + engine_name + " (xapian, pg, sqlite)");
  const std::vector<Query> queries = read_queries(file);
  const auto warm_start = Clock::now();
  for (const auto& q : queries) engine->search(q);
  const double warm_s = seconds_since(warm_start);

  std::vector<double> ms(queries.size());
  std::vector<Outcome> outcomes(queries.size());
  const auto timed_start = Clock::now();
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const auto t0 = Clock::now();
    outcomes[i] = engine->search(queries[i]);
    ms[i] = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  }
  const double timed_s = seconds_since(timed_start);
  std::vector<std::int64_t> exact_totals(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    exact_totals[i] = outcomes[i].exact ? outcomes[i].total : engine->exact_total(queries[i]);
  }

  std::ofstream out(out_file);
  out << "category\tms\ttotal\texact\texact_total\thits\tquery\tfrom\tto\n";
  std::map<std::string, std::vector<double>> by_category;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    const Query& q = queries[i];
    out << q.category << '\t' << std::fixed << std::setprecision(3) << ms[i] << '\t'
        << outcomes[i].total << '\t' << (outcomes[i].exact ? 1 : 0) << '\t' << exact_totals[i]
        << '\t' << outcomes[i].hits << '\t' << q.text << '\t'
        << (q.from ? std::to_string(*q.from) : "") << '\t' << (q.to ? std::to_string(*q.to) : "")
        << '\n';
    by_category[q.category].push_back(ms[i]);
  }
  std::cout << engine_name << ": " << queries.size() << " queries, warm-up " << std::fixed
            << std::setprecision(1) << warm_s << " s, timed pass " << timed_s << " s\n";
  std::cout << "  " << std::left << std::setw(8) << "category" << std::right << std::setw(6) << "n"
            << std::setw(11) << "median ms" << std::setw(9) << "p99 ms" << std::setw(9) << "max ms"
            << "\n";
  const auto line = [](const std::string& name, const std::vector<double>& v) {
    std::cout << "  " << std::left << std::setw(8) << name << std::right << std::setw(6) << v.size()
              << std::setprecision(2) << std::setw(11) << percentile(v, 0.5) << std::setw(9)
              << percentile(v, 0.99) << std::setw(9) << percentile(v, 1.0) << "\n";
  };
  for (const auto& [name, v] : by_category) line(name, v);
  line("all", ms);
  return 0;
}

int usage() {
  std::cerr << "usage: search_runner load-pg WORKSPACE TODAY CONNINFO\n"
               "       search_runner load-sqlite WORKSPACE TODAY DBFILE\n"
               "       search_runner run xapian|pg|sqlite TARGET QUERIES.tsv OUT.tsv\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 4 && (args[0] == "load-pg" || args[0] == "load-sqlite")) {
      const auto today = Date::parse_iso(args[2]);
      if (!today) fail("TODAY: expected YYYY-MM-DD, got " + args[2]);
      auto ws = Workspace::open(args[1], Workspace::Mode::Read);
      return args[0] == "load-pg" ? load_pg(*ws, *today, args[3])
                                  : load_sqlite(*ws, *today, args[3]);
    }
    if (args.size() == 5 && args[0] == "run") return run_mix(args[1], args[2], args[3], args[4]);
    return usage();
  } catch (const std::exception& e) {
    std::cerr << "search_runner: " << e.what() << "\n";
    return 1;
  }
}
