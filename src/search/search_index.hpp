#pragma once
// The Xapian index behind search (ARCHITECTURE.md: `search`, Xapian visible only here). Two
// indexes per workspace: the public one holds only what the access policy makes public (stubs of
// redacted units carry nothing but Signatur, level, Laufzeit and the closing date), so a public
// search cannot reach closed content by construction; the internal one holds everything.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalogue/unit.hpp"
#include "core/date.hpp"
#include "store/workspace.hpp"

namespace findbuch::search {

enum class IndexKind { Public, Internal };
std::string_view index_name(IndexKind kind);  ///< "public", "internal"

/// Where the workspace's index of that kind lives (index/<name>, a link to the current database).
std::filesystem::path index_path(const std::filesystem::path& workspace, IndexKind kind);

struct IndexReport {
  bool full = false;           ///< built anew (else updated in place)
  std::int64_t documents = 0;  ///< written (all, or the changed ones)
  std::int64_t stubs = 0;      ///< of them redacted units (public index)
  std::int64_t left_out = 0;   ///< hidden units, not (or no longer) in the index
  std::int64_t removed = 0;    ///< units deleted from the catalogue since
};

/// Brings both indexes up to the catalogue as of `today`; the reports of the public and the
/// internal index, in that order. By default only the units changed since the last run (after
/// the audit entry recorded in the index), those whose access decision changed since the
/// index's day, those whose pages came or went, and everything below them are written, each
/// database in one commit with the new resume point. A full build (`full`, no index yet, other
/// protection or language rules, or too much changed) writes a new generation of databases from
/// one scan of the catalogue, each on its own thread, and switches to it by renaming symbolic
/// links: searches keep working meanwhile and never see a half-built index. One writer at a
/// time: a second one gets an EnvironmentError.
std::vector<IndexReport> update_indexes(Workspace& workspace, Date today, bool full = false);

/// update_indexes, the report of `kind`.
IndexReport update_index(Workspace& workspace, IndexKind kind, Date today, bool full = false);

/// update_index with `full`.
IndexReport build_index(Workspace& workspace, IndexKind kind, Date today);

enum class SortOrder { Relevance, Signatur, Date };

struct SearchRequest {
  std::string query;
  std::optional<int> from_year, to_year;  ///< overlap with the unit's Laufzeit
  std::optional<std::int64_t> within;     ///< unit id: it and everything below
  std::optional<Level> level;
  bool digitised_only = false;
  SortOrder sort = SortOrder::Relevance;
  int limit = 20;
  int offset = 0;
  bool facets = true;              ///< count facets (and the total): exact up to 20,000 matches
  bool count_every_match = false;  ///< exact total and facets however many match (slow)
};

struct Hit {
  std::string signatur, title, laufzeit, level;
  std::vector<std::string> breadcrumb;  ///< Tektonik path, root first
  std::string snippet;                  ///< with «query terms» marked
  bool digitised = false;
  bool stub = false;         ///< closed: only Signatur, level, Laufzeit are shown
  std::string closed_until;  ///< stubs: YYYY-MM-DD, or empty
};

struct FacetValue {
  std::string value;
  std::int64_t count = 0;
};
struct Facet {
  std::string name;  ///< bestand, tektonik, level, century, decade, digitised
  std::vector<FacetValue> values;
};

struct SearchResult {
  std::int64_t total = 0;   ///< matching units
  bool total_exact = true;  ///< else an estimate (searches without facets)
  std::vector<Hit> hits;
  std::vector<Facet> facets;
  std::string suggestion;       ///< "Meinten Sie …?" when the query finds little
  bool ran_suggestion = false;  ///< nothing was found, so the suggestion was searched instead
  std::string note;             ///< e.g. the query could not be parsed and ran as plain words
};

/// Searches the index at `index` (index_path()). Malformed queries fall back to plain words
/// with a note; overlong ones are cut. Throws EnvironmentError when there is no index yet.
SearchResult run_search(const std::filesystem::path& index, const SearchRequest& request);

/// A reader that stays open between searches (a web server, the benchmark): the same as
/// run_search, without opening the index and reading its language rules each time. It follows
/// updates in place and full builds (a new generation behind the link).
class Searcher {
 public:
  /// Throws EnvironmentError when there is no index yet.
  explicit Searcher(std::filesystem::path index);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  SearchResult search(const SearchRequest& request);

 private:
  struct Open;
  std::filesystem::path index_;
  std::filesystem::path target_;  ///< the generation the open snapshot belongs to
  std::unique_ptr<Open> open_;
};

}  // namespace findbuch::search
