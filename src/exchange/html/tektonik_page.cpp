#include "exchange/html/tektonik_page.hpp"

#include <algorithm>

#include "core/natural_sort.hpp"
#include "exchange/html/html_writer.hpp"
#include "exchange/public_urls.hpp"

namespace findbuch::html {
namespace {

void collect(const std::vector<PublicNode>& nodes, std::vector<const Unit*>& groups,
             std::vector<const Unit*>& bestaende) {
  for (const PublicNode& node : nodes) {
    (node.unit.level == Level::Bestand ? bestaende : groups).push_back(&node.unit);
    collect(node.children, groups, bestaende);
  }
}

void by_signatur(std::vector<const Unit*>& units) {
  std::sort(units.begin(), units.end(),
            [](const Unit* a, const Unit* b) { return natural_less(a->signatur, b->signatur); });
}

std::string heading_tag(int level) {
  return "h" + std::to_string(std::min(level, 6));
}

std::string bestand_item(const PublicNode& node, const SiteNames& names) {
  const Unit& b = node.unit;
  std::string out = "<li id=\"" + escape(names.anchor.at(b.id)) + "\"><a href=\"" +
                    escape(names.file.at(b.id)) + "\"><span class=\"signatur\">" +
                    escape(b.signatur) + "</span> " + escape(b.title) + "</a>";
  if (!b.laufzeit.text.empty()) {
    out += " <span class=\"laufzeit\">" + escape(b.laufzeit.text) + "</span>";
  }
  if (!b.extent.empty()) out += " <span class=\"umfang\">(" + escape(b.extent) + ")</span>";
  return out + "</li>\n";
}

// Groups become sections with headings, one level deeper per nesting; their Bestände a list.
std::string holdings_markup(const std::vector<PublicNode>& nodes, const SiteNames& names,
                            int heading) {
  std::string out, list;
  const auto flush = [&] {
    if (!list.empty()) out += "<ul class=\"bestaende\">\n" + list + "</ul>\n";
    list.clear();
  };
  for (const PublicNode& node : nodes) {
    if (node.unit.level == Level::Bestand) {
      list += bestand_item(node, names);
      continue;
    }
    flush();
    const std::string tag = heading_tag(heading);
    out += "<section id=\"" + escape(names.anchor.at(node.unit.id)) + "\">\n<" + tag +
           "><span class=\"signatur\">" + escape(node.unit.signatur) + "</span> " +
           escape(node.unit.title) + "</" + tag + ">\n";
    out += holdings_markup(node.children, names, heading + 1);
    out += "</section>\n";
  }
  flush();
  return out;
}

}  // namespace

SiteNames site_names(const std::vector<PublicNode>& holdings) {
  std::vector<const Unit*> groups, bestaende;
  collect(holdings, groups, bestaende);
  by_signatur(groups);
  by_signatur(bestaende);
  SiteNames names;
  SlugRegistry anchors, files;
  anchors.reserve("inhalt");
  for (const Unit* group : groups) names.anchor[group->id] = anchors.claim(*group);
  for (const Unit* bestand : bestaende) {
    names.anchor[bestand->id] = anchors.claim(*bestand);
    names.file[bestand->id] = "findbuch/" + files.claim(*bestand) + ".html";
  }
  return names;
}

std::string tektonik_page(const std::vector<PublicNode>& holdings, const SiteNames& names,
                          const ArchiveConfig& archive, Date today) {
  std::string main =
      "<h1>Tektonik</h1>\n<p>Die Bestände in der Ordnung des Archivs. Jeder Bestand führt zu "
      "seinem Findbuch.</p>\n";
  main += holdings.empty() ? "<p>Keine öffentlichen Bestände.</p>\n"
                           : holdings_markup(holdings, names, 2);
  PageFrame frame;
  frame.title = "Tektonik";
  frame.archive = &archive;
  frame.today = today;
  return page(frame, main);
}

}  // namespace findbuch::html
