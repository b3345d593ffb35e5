#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "search/search_index.hpp"

namespace findbuch::cli {
namespace {

nlohmann::json result_json(const search::SearchResult& r) {
  nlohmann::json hits = nlohmann::json::array();
  for (const auto& h : r.hits) {
    nlohmann::json hit = {{"signatur", h.signatur},
                          {"level", h.level},
                          {"laufzeit", h.laufzeit},
                          {"breadcrumb", h.breadcrumb},
                          {"digitised", h.digitised}};
    if (h.stub) {
      hit["closed"] = true;
      hit["closed_until"] =
          h.closed_until.empty() ? nlohmann::json() : nlohmann::json(h.closed_until);
    } else {
      hit["title"] = h.title;
      hit["snippet"] = h.snippet;
    }
    hits.push_back(hit);
  }
  nlohmann::json facets = nlohmann::json::object();
  for (const auto& f : r.facets) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& v : f.values) values.push_back({{"value", v.value}, {"count", v.count}});
    facets[f.name] = values;
  }
  nlohmann::json out = {{"total", r.total}, {"hits", hits}, {"facets", facets}};
  if (!r.total_exact) out["total_exact"] = false;  // the total and the facet counts are estimates
  if (!r.suggestion.empty()) {
    out["suggestion"] = r.suggestion;
    out["ran_suggestion"] = r.ran_suggestion;
  }
  if (!r.note.empty()) out["note"] = r.note;
  return out;
}

class SearchCommand final : public Command {
 public:
  std::string_view name() const override { return "search"; }
  std::string_view summary() const override { return "search the finding aids"; }
  std::string_view arguments() const override { return "QUERY"; }
  std::string_view details() const override {
    return "Words are combined with AND; \"quoted phrases\", OR, NOT, -word, wort* (from three\n"
           "letters), and fields: titel:, person:, ort:, thema:, bestand:, provenienz:;\n"
           "signatur:\"C 5.63\" selects a unit and everything below it. German spelling is\n"
           "folded (Müller = Mueller, Straße = Strasse) and words are stemmed. Without\n"
           "--internal only what is public is searched.\n"
           "Example: findbuch search \"Bauakte Ringstraße\" --from 1950 --to 1960";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("query", po::value<std::vector<std::string>>(), "what to look for")(
        "from", po::value<int>(), "units whose Laufzeit reaches this year or later")(
        "to", po::value<int>(), "units whose Laufzeit begins by this year")(
        "within", po::value<std::string>(), "only below this Signatur (and it)")(
        "level", po::value<std::string>(), "only this level (Akte, Bestand, …)")(
        "digitised", "only digitised units")("sort",
                                             po::value<std::string>()->default_value("relevance"),
                                             "relevance, signatur or date")(
        "limit", po::value<int>()->default_value(20), "hits to show")(
        "offset", po::value<int>()->default_value(0), "hits to skip")(
        "internal", "search everything (archivists), not only what is public")(
        "json", "print the result as JSON");
    p.add("query", -1);
  }
  void setup(const po::variables_map& vm) override {
    if (vm.count("query")) {
      for (const auto& word : vm["query"].as<std::vector<std::string>>()) {
        request_.query += (request_.query.empty() ? "" : " ") + word;
      }
    }
    if (vm.count("from")) request_.from_year = vm["from"].as<int>();
    if (vm.count("to")) request_.to_year = vm["to"].as<int>();
    if (vm.count("within")) within_ = vm["within"].as<std::string>();
    if (vm.count("level")) {
      const auto level = level_from_name(vm["level"].as<std::string>());
      if (!level) {
        throw UsageError("unknown level " + in_quotes(vm["level"].as<std::string>()) + " (" +
                         level_names_for_humans() + ")");
      }
      request_.level = *level;
    }
    request_.digitised_only = vm.count("digitised") != 0;
    const std::string sort = vm["sort"].as<std::string>();
    if (sort == "relevance") {
      request_.sort = search::SortOrder::Relevance;
    } else if (sort == "signatur") {
      request_.sort = search::SortOrder::Signatur;
    } else if (sort == "date") {
      request_.sort = search::SortOrder::Date;
    } else {
      throw UsageError("unknown --sort " + in_quotes(sort) + " (use relevance, signatur or date)");
    }
    request_.limit = vm["limit"].as<int>();
    request_.offset = vm["offset"].as<int>();
    if (request_.limit < 0 || request_.limit > 10000 || request_.offset < 0) {
      throw UsageError("--limit must be 0 … 10000 and --offset not negative");
    }
    internal_ = vm.count("internal") != 0;
    json_ = vm.count("json") != 0;
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Read);
    if (within_) request_.within = ws->catalogue().require(*within_).id;
    const auto kind = internal_ ? search::IndexKind::Internal : search::IndexKind::Public;
    const search::SearchResult r =
        search::run_search(search::index_path(ws->dir(), kind), request_);
    if (json_) {
      ctx.out << result_json(r).dump(2) << "\n";
      return 0;
    }
    if (!r.note.empty()) ctx.out << "Hinweis: " << r.note << "\n";
    if (r.ran_suggestion) {
      ctx.out << "Nichts gefunden; gesucht wurde stattdessen: " << r.suggestion << "\n";
    } else if (!r.suggestion.empty()) {
      ctx.out << "Meinten Sie: " << r.suggestion << "?\n";
    }
    ctx.out << (r.total_exact ? "" : "etwa ") << r.total << " Treffer\n";
    for (const auto& h : r.hits) {
      ctx.out << "\n"
              << h.signatur << "  "
              << (h.stub ? "[gesperrt" +
                               (h.closed_until.empty() ? std::string() : " bis " + h.closed_until) +
                               "]"
                         : h.title)
              << "  (" << (h.laufzeit.empty() ? "" : h.laufzeit + ", ") << h.level
              << (h.digitised ? ", digitalisiert" : "") << ")\n";
      if (!h.breadcrumb.empty()) {
        std::string path;
        for (const auto& b : h.breadcrumb) path += (path.empty() ? "" : " › ") + b;
        ctx.out << "  " << path << "\n";
      }
      if (!h.snippet.empty()) ctx.out << "  " << h.snippet << "\n";
    }
    for (const auto& f : r.facets) {
      ctx.out << "\n" << f.name << ":";
      for (const auto& v : f.values) ctx.out << " " << v.value << " (" << v.count << ")";
    }
    if (!r.facets.empty()) ctx.out << "\n";
    return 0;
  }

 private:
  search::SearchRequest request_;
  std::optional<std::string> within_;
  bool internal_ = false, json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_search_command() {
  return std::make_unique<SearchCommand>();
}

}  // namespace findbuch::cli
