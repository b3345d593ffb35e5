#pragma once
// Laufzeit: the dates of a unit as archivists write them ("1890-1923", "ca. 1900", "1920er Jahre",
// "12.03.1901", "März 1901", "[1901]", "o.D.", "1901, 1905-1907"), parsed into an interval for
// search and protection periods. The original text is always kept for display.
#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"

namespace findbuch {

struct Laufzeit {
  std::string text;          ///< as written, shown to people
  std::optional<Date> from;  ///< earliest day covered; nullopt = open start or undated
  std::optional<Date> to;    ///< latest day covered; nullopt = open end or undated
  std::string normal;        ///< ISO 8601 form for EAD unitdate/@normal ("1890/1923", "1901-03-12")
  bool approximate = false;  ///< "ca.", "um", "[…]" (inferred), decades, centuries
  bool undated = false;      ///< "o.D." and friends: explicitly without date

  bool empty() const { return text.empty() && !from && !to; }
  bool operator==(const Laufzeit&) const = default;
};

/// Parses a German date expression. Never throws: text it cannot read comes back with no
/// interval (from/to empty, undated false) and the text kept; `ok` is set to false then.
Laufzeit parse_laufzeit(std::string_view text, bool* ok = nullptr);

/// Builds a Laufzeit from an ISO 8601 `normal` attribute ("1900/1905", "1900-01-01/1902-12-31",
/// "1901-03") and the display text. nullopt when `normal` is not a usable ISO date or interval
/// (real exports carry "0000/0000").
std::optional<Laufzeit> laufzeit_from_normal(std::string_view normal, std::string_view text);

}  // namespace findbuch
