#pragma once
// Natural order of Signaturen: "Nr. 9" before "Nr. 10", "C 5.9" before "C 5.63".
#include <string>
#include <string_view>

namespace findbuch {

/// A key whose byte-wise order is the natural order: digit runs are written with their length
/// first (so longer numbers sort later), letters are case-folded (ASCII and German umlauts).
/// Stored in the catalogue so SQL can ORDER BY it.
std::string natural_sort_key(std::string_view text);

/// true when a sorts before b naturally.
bool natural_less(std::string_view a, std::string_view b);

}  // namespace findbuch
