#pragma once
// The pieces every page of the HTML export shares: escaping, text with paragraphs, German dates
// and the page frame (head, skip link, header, footer). The markup is also well-formed XML
// (void elements closed, only numeric or XML entities), so tests and tools can parse it strictly.
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "store/workspace.hpp"

namespace findbuch::html {

/// Text or attribute value as HTML: & < > " ' escaped; control characters HTML forbids dropped.
std::string escape(std::string_view text);
/// Catalogue text as paragraphs: a blank line starts a new <p>, a single line break is kept.
std::string paragraphs(std::string_view text);
/// "DD.MM.YYYY", as German readers write dates.
std::string german_date(Date date);

/// What the frame of one page needs.
struct PageFrame {
  std::string title;       ///< the <title>, archive name appended
  std::string to_root;     ///< relative path from the page to the export folder: "" or "../"
  std::string navigation;  ///< markup of the header's <nav> (the breadcrumb), already escaped
  const ArchiveConfig* archive = nullptr;
  Date today;  ///< the "Stand" in the footer
};

/// A complete document: doctype, head with the shared stylesheet, a skip link to <main
/// id="inhalt">, a header naming the archive (linked to the Tektonik) with the navigation, `main`
/// (markup, starting with the page's one h1) and a footer with the archive's address.
std::string page(const PageFrame& frame, std::string_view main);

}  // namespace findbuch::html
