#include "exchange/html/export_html.hpp"

#include <map>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "exchange/export_folder.hpp"
#include "exchange/html/finding_aid.hpp"
#include "exchange/html/public_tree.hpp"
#include "exchange/html/stylesheet.hpp"
#include "exchange/html/tektonik_page.hpp"
#include "exchange/iiif/published_units.hpp"
#include "exchange/public_urls.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using html::PublicNode;

// The holdings shown on index.html when one Bestand is exported: its Tektonik path and itself.
std::vector<PublicNode> path_to(Workspace& ws, const Unit& bestand, Date today) {
  std::vector<Unit> chain = ws.catalogue().ancestors(bestand);
  chain.push_back(bestand);
  std::vector<PublicNode> roots;
  std::vector<PublicNode>* level = &roots;
  for (const Unit& unit : chain) {
    std::optional<PublicNode> node = html::public_node(ws, unit, today);
    if (!node) continue;  // not for groups above a public Bestand; the policy decides anyway
    level->push_back(std::move(*node));
    level = &level->back().children;
  }
  return roots;
}

// Manifest URLs of the units the IIIF export publishes with the same arguments; none when no
// URL is configured to serve them under.
std::map<std::int64_t, std::string> manifest_urls(Workspace& ws, const std::optional<Unit>& only,
                                                  Date today) {
  std::map<std::int64_t, std::string> urls;
  const ArchiveConfig& config = ws.config();
  if (config.public_base_url.empty() && config.iiif.base_url.empty()) return urls;
  const PublicUrls public_urls(config);
  for (const auto& p : iiif::published_units(ws, only, today).units) {
    urls[p.unit.id] = public_urls.manifest(p.slug);
  }
  return urls;
}

void count(const std::vector<PublicNode>& nodes, const std::map<std::int64_t, std::string>& linked,
           HtmlExportReport& report) {
  for (const PublicNode& node : nodes) {
    ++(node.stub ? report.stubs : report.units);
    if (!node.stub && linked.count(node.unit.id) != 0) ++report.digitised;
    count(node.children, linked, report);
  }
}

class HtmlExport {
 public:
  HtmlExport(Workspace& ws, Date today, std::map<std::int64_t, std::string> manifests)
      : ws_(ws), today_(today), manifests_(std::move(manifests)) {}

  HtmlExportReport write(const std::vector<PublicNode>& holdings, const fs::path& out) {
    ExportFolder folder(out, ws_.dir(), "html");
    dir_ = folder.dir();
    names_ = html::site_names(holdings);
    fs::create_directories(dir_ / "findbuch");
    write_file_atomic(dir_ / "findbuch.css", std::string(html::stylesheet()));
    write_file_atomic(dir_ / "index.html",
                      html::tektonik_page(holdings, names_, ws_.config(), today_));
    std::vector<Unit> path;
    write_finding_aids(holdings, path);
    folder.commit();
    return report_;
  }

 private:
  void write_finding_aids(const std::vector<PublicNode>& nodes, std::vector<Unit>& path) {
    for (const PublicNode& node : nodes) {
      if (node.unit.level != Level::Bestand) {
        path.push_back(node.unit);
        write_finding_aids(node.children, path);
        path.pop_back();
        continue;
      }
      html::FindingAid aid;
      aid.bestand = node;
      aid.bestand.children = html::public_tree(ws_, node.unit.id, today_, html::Depth::Everything);
      aid.path = path;
      aid.manifests = &manifests_;
      count(aid.bestand.children, manifests_, report_);
      write_file_atomic(dir_ / names_.file.at(node.unit.id),
                        html::finding_aid_page(aid, names_, ws_.config(), today_));
      ++report_.finding_aids;
    }
  }

  Workspace& ws_;
  const Date today_;
  const std::map<std::int64_t, std::string> manifests_;
  html::SiteNames names_;
  fs::path dir_;
  HtmlExportReport report_;
};

}  // namespace

HtmlExportReport export_html(Workspace& ws, const std::optional<Unit>& only, const fs::path& out,
                             Date today) {
  std::vector<PublicNode> holdings;
  if (only) {
    if (only->level != Level::Bestand) {
      throw UsageError("--bestand " + in_quotes(only->signatur) + " is a " +
                       std::string(level_info(only->level).german) +
                       ", not a Bestand (a finding aid describes a whole Bestand)");
    }
    if (ws.access(*only, today).visibility != Visibility::Public) {
      throw UsageError("--bestand " + in_quotes(only->signatur) +
                       " is not public (Zwischenarchiv): it has no finding aid");
    }
    holdings = path_to(ws, *only, today);
  } else {
    holdings = html::public_tree(ws, 0, today, html::Depth::Holdings);
  }
  HtmlExport run(ws, today, manifest_urls(ws, only, today));
  return run.write(holdings, out);
}

}  // namespace findbuch
