#include "exchange/html/finding_aid.hpp"

#include <algorithm>

#include "core/natural_sort.hpp"
#include "exchange/html/html_writer.hpp"
#include "exchange/public_urls.hpp"

namespace findbuch::html {
namespace {

// Fixed ids of the page, kept free of unit anchors.
constexpr const char* kIntroduction = "einleitung";
constexpr const char* kUnits = "verzeichnung";

// Teilbestand, Gliederung and Serie order a Bestand: headings and table of contents entries.
bool is_heading(const Unit& unit) {
  return unit.level == Level::Teilbestand || unit.level == Level::Classification ||
         unit.level == Level::Series;
}

std::string closed_note(const PublicNode& node) {
  return node.opens_on ? "gesperrt bis " + german_date(node.opens_on->previous_day()) : "gesperrt";
}

bool is_web_link(const std::string& href) {
  return href.starts_with("https://") || href.starts_with("http://");
}

// One id per unit on the page: slugs claimed in Signatur order, as the IIIF export does.
std::map<std::int64_t, std::string> anchors_of(const PublicNode& bestand) {
  std::vector<const Unit*> units;
  const auto walk = [&](const auto& self, const std::vector<PublicNode>& nodes) -> void {
    for (const PublicNode& n : nodes) {
      units.push_back(&n.unit);
      self(self, n.children);
    }
  };
  walk(walk, bestand.children);
  std::sort(units.begin(), units.end(),
            [](const Unit* a, const Unit* b) { return natural_less(a->signatur, b->signatur); });
  SlugRegistry registry;
  for (const char* fixed : {"inhalt", kIntroduction, kUnits}) registry.reserve(fixed);
  std::map<std::int64_t, std::string> anchors;
  for (const Unit* unit : units) anchors[unit->id] = registry.claim(*unit);
  return anchors;
}

class FindingAidWriter {
 public:
  FindingAidWriter(const FindingAid& aid, const SiteNames& names, const ArchiveConfig& archive)
      : aid_(aid), names_(names), archive_(archive), anchors_(anchors_of(aid.bestand)) {}

  std::string breadcrumb() const {
    std::string out = "<nav class=\"pfad\" aria-label=\"Pfad\">\n<ol>\n";
    out += "<li><a href=\"../index.html\">Tektonik</a></li>\n";
    for (const Unit& group : aid_.path) {
      const auto anchor = names_.anchor.find(group.id);
      const std::string label = escape(group.signatur + " " + group.title);
      out += anchor == names_.anchor.end()
                 ? "<li>" + label + "</li>\n"
                 : "<li><a href=\"../index.html#" + escape(anchor->second) + "\">" + label +
                       "</a></li>\n";
    }
    const Unit& b = aid_.bestand.unit;
    out += "<li aria-current=\"page\">" + escape(b.signatur + " " + b.title) + "</li>\n";
    return out + "</ol>\n</nav>\n";
  }

  std::string main() const {
    const Unit& b = aid_.bestand.unit;
    std::string out = "<h1><span class=\"signatur\">" + escape(b.signatur) + "</span> " +
                      escape(b.title) + "</h1>\n";
    out += contents();
    out += "<section id=\"" + std::string(kIntroduction) + "\">\n<h2>Einleitung</h2>\n";
    out += introduction();
    out += "</section>\n<section id=\"" + std::string(kUnits) +
           "\">\n<h2>Verzeichnungseinheiten</h2>\n";
    out += aid_.bestand.children.empty() ? "<p>Keine öffentlichen Verzeichnungseinheiten.</p>\n"
                                         : units(aid_.bestand.children, 3);
    return out + "</section>\n";
  }

 private:
  // The table of contents: the two sections, the classification nested under the second.
  std::string contents() const {
    std::string out =
        "<nav class=\"inhaltsverzeichnis\" aria-labelledby=\"inhaltsverzeichnis\">\n"
        "<h2 id=\"inhaltsverzeichnis\">Inhaltsverzeichnis</h2>\n<ol>\n";
    out += "<li><a href=\"#" + std::string(kIntroduction) + "\">Einleitung</a></li>\n";
    out += "<li><a href=\"#" + std::string(kUnits) + "\">Verzeichnungseinheiten</a>\n";
    out += classification(aid_.bestand.children);
    return out + "</li>\n</ol>\n</nav>\n";
  }

  std::string classification(const std::vector<PublicNode>& nodes) const {
    std::string items;
    for (const PublicNode& node : nodes) {
      if (!is_heading(node.unit)) continue;
      items += "<li><a href=\"#" + escape(anchors_.at(node.unit.id)) + "\">" + heading_text(node) +
               "</a>" + classification(node.children) + "</li>\n";
    }
    return items.empty() ? "" : "<ol>\n" + items + "</ol>\n";
  }

  std::string heading_text(const PublicNode& node) const {
    const Unit& u = node.unit;
    if (node.stub) {
      return "<span class=\"signatur\">" + escape(u.signatur) + "</span> <span class=\"ebene\">" +
             escape(std::string(level_info(u.level).german)) + "</span> <span class=\"gesperrt\">" +
             closed_note(node) + "</span>";
    }
    return "<span class=\"signatur\">" + escape(u.signatur) + "</span> " + escape(u.title);
  }

  std::string introduction() const {
    const Unit& b = aid_.bestand.unit;
    std::string out = "<dl class=\"angaben\">\n";
    const auto field = [&](const char* label, const std::string& value, bool long_text) {
      if (value.empty()) return;
      out += "<dt>" + std::string(label) + "</dt>\n<dd>" +
             (long_text ? paragraphs(value) : escape(value)) + "</dd>\n";
    };
    field("Signatur", b.signatur, false);
    field("Laufzeit", b.laufzeit.text, false);
    field("Umfang", b.extent, false);
    field("Provenienz", b.creator, false);
    field("Bestandsgeschichte", b.archival_history, true);
    field("Enthält", b.enthaelt, true);
    field("Darin", b.darin, true);
    field("Sprache", b.language, false);
    field("Zugang", b.access_conditions, true);
    field("Nutzung", b.use_conditions, true);
    field("Zitierbeispiel", example_citation(), false);
    return out + "</dl>\n";
  }

  // How a unit is cited (archive, Signatur), shown with the first record of the Bestand.
  std::string example_citation() const {
    const PublicNode* node = nullptr;
    for (const auto* nodes = &aid_.bestand.children; !nodes->empty(); nodes = &node->children) {
      node = &nodes->front();
      if (!is_heading(node->unit)) return archive_.name + ", " + node->unit.signatur;
    }
    return "";
  }

  // Headings become sections one level deeper per nesting; runs of records an ordered list.
  std::string units(const std::vector<PublicNode>& nodes, int heading) const {
    std::string out, list;
    const auto flush = [&] {
      if (!list.empty()) out += "<ol class=\"einheiten\">\n" + list + "</ol>\n";
      list.clear();
    };
    for (const PublicNode& node : nodes) {
      if (!is_heading(node.unit)) {
        list += record(node, heading);
        continue;
      }
      flush();
      const std::string tag = "h" + std::to_string(std::min(heading, 6));
      out += "<section id=\"" + escape(anchors_.at(node.unit.id)) + "\" class=\"gliederung\">\n<" +
             tag + ">" + heading_text(node) + "</" + tag + ">\n";
      if (!node.stub) out += details(node.unit);
      out += units(node.children, heading + 1) + "</section>\n";
    }
    flush();
    return out;
  }

  std::string record(const PublicNode& node, int heading) const {
    const Unit& u = node.unit;
    std::string out = "<li class=\"einheit" + std::string(node.stub ? " gesperrt" : "") +
                      "\" id=\"" + escape(anchors_.at(u.id)) + "\">\n<div class=\"kopf\">";
    out += "<span class=\"signatur\">" + escape(u.signatur) + "</span>";
    if (node.stub) {
      out +=
          " <span class=\"ebene\">" + escape(std::string(level_info(u.level).german)) + "</span>";
    } else {
      out += " <span class=\"titel\">" + escape(u.title.empty() ? "(ohne Titel)" : u.title) +
             "</span>";
    }
    if (!u.laufzeit.text.empty()) {
      out += " <span class=\"laufzeit\">" + escape(u.laufzeit.text) + "</span>";
    }
    if (node.stub) out += " <span class=\"gesperrt\">" + closed_note(node) + "</span>";
    out += "</div>\n";
    if (!node.stub) out += details(u) + digitised(u);
    if (!node.children.empty()) out += units(node.children, heading);
    return out + "</li>\n";
  }

  // The public description of a unit below its heading line.
  std::string details(const Unit& u) const {
    std::string out;
    const auto field = [&](const char* label, const std::string& value) {
      if (!value.empty())
        out += "<dt>" + std::string(label) + "</dt><dd>" + escape(value) + "</dd>\n";
    };
    field("Enthält", u.enthaelt);
    field("Darin", u.darin);
    field("Umfang", u.extent);
    field("Alte Signatur", u.former_reference);
    return out.empty() ? "" : "<dl>\n" + out + "</dl>\n";
  }

  // Links to the images: the manifest the IIIF export publishes and a viewer recorded with the
  // unit (EAD dao "externer_viewer"); only web links, never javascript: or file: ones.
  std::string digitised(const Unit& u) const {
    std::string items;
    if (aid_.manifests) {
      const auto manifest = aid_.manifests->find(u.id);
      if (manifest != aid_.manifests->end()) {
        items += "<li><a href=\"" + escape(manifest->second) +
                 "\" type=\"application/ld+json\">IIIF-Manifest</a></li>\n";
      }
    }
    for (const DigitalObject& object : u.digital_objects) {
      if (object.role != "externer_viewer" || !is_web_link(object.href)) continue;
      items += "<li><a href=\"" + escape(object.href) + "\">Digitalisat ansehen</a></li>\n";
    }
    return items.empty()
               ? ""
               : "<ul class=\"digitalisat\" aria-label=\"Digitalisat\">\n" + items + "</ul>\n";
  }

  const FindingAid& aid_;
  const SiteNames& names_;
  const ArchiveConfig& archive_;
  const std::map<std::int64_t, std::string> anchors_;
};

}  // namespace

std::string finding_aid_page(const FindingAid& aid, const SiteNames& names,
                             const ArchiveConfig& archive, Date today) {
  const FindingAidWriter writer(aid, names, archive);
  PageFrame frame;
  frame.title = aid.bestand.unit.signatur + " " + aid.bestand.unit.title;
  frame.to_root = "../";
  frame.navigation = writer.breadcrumb();
  frame.archive = &archive;
  frame.today = today;
  return page(frame, writer.main());
}

}  // namespace findbuch::html
