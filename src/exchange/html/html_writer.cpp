#include "exchange/html/html_writer.hpp"

#include <cstdio>

namespace findbuch::html {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // C0 controls other than tab and line breaks are errors in HTML and XML alike.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string paragraphs(std::string_view text) {
  std::string out, current;
  const auto flush = [&] {
    if (!current.empty()) out += "<p>" + current + "</p>\n";
    current.clear();
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      flush();
    } else {
      current += (current.empty() ? "" : "<br />\n") + escape(line);
    }
    start = end + 1;
  }
  flush();
  return out;
}

std::string german_date(Date date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d.%02d.%04d", date.day, date.month, date.year);
  return buffer;
}

std::string page(const PageFrame& frame, std::string_view main) {
  const ArchiveConfig& archive = *frame.archive;
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\" />\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n";
  out += "<title>" + escape(frame.title) + " – " + escape(archive.name) + "</title>\n";
  out += "<link rel=\"stylesheet\" href=\"" + frame.to_root + "findbuch.css\" />\n</head>\n";
  out += "<body>\n<a class=\"skip\" href=\"#inhalt\">Zum Inhalt springen</a>\n";
  out += "<header>\n<p class=\"archiv\"><a href=\"" + frame.to_root + "index.html\">" +
         escape(archive.name) + "</a></p>\n";
  out += frame.navigation + "</header>\n";
  out += "<main id=\"inhalt\">\n";
  out += main;
  out += "</main>\n<footer>\n<address>\n<strong>" + escape(archive.name) + "</strong>";
  for (const auto& line : archive.address) out += "<br />\n" + escape(line);
  if (!archive.email.empty()) {
    out += "<br />\n<a href=\"mailto:" + escape(archive.email) + "\">" + escape(archive.email) +
           "</a>";
  }
  out += "\n</address>\n<p>Stand: " + german_date(frame.today) + "</p>\n</footer>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace findbuch::html
