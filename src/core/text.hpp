#pragma once
// Text helpers shared by importers and the CLI.
#include <string>
#include <string_view>
#include <vector>

namespace findbuch {

bool is_valid_utf8(std::string_view bytes);
/// Converts Windows-1252 bytes to UTF-8 (the encoding of spreadsheets saved by German Excel).
std::string cp1252_to_utf8(std::string_view bytes);
/// Trims ASCII whitespace and collapses inner runs of whitespace (incl. newlines) to one space.
std::string normalize_space(std::string_view text);
std::string trim(std::string_view text);
/// Splits on `sep`, trimming each piece; empty pieces are dropped.
std::vector<std::string> split_list(std::string_view text, char sep);
/// ASCII lower-casing (enough for keywords, field names and level names).
std::string ascii_lower(std::string_view text);
/// Does `text` start with `prefix` as a whole word: followed by the end, a space, '/', '.' or
/// '-'? ("C 5.63 Nr. 1" starts with "C 5.63"; "C 5.631" does not.)
bool starts_with_word(std::string_view text, std::string_view prefix);
/// The candidate closest to `word` (case-insensitive ASCII) within `max_distance` edits, for
/// "did you mean …?"; "" when none is that close.
std::string nearest_match(std::string_view word, const std::vector<std::string>& candidates,
                          int max_distance = 2);
/// A readable, URL- and file-name-safe form of a Signatur or title: German letters transliterated
/// (ä → ae, ß → ss), other accents dropped, every run of anything but ASCII letters and digits
/// one '-', no '-' at either end. "D 1.3 Nr. 30" → "D-1-3-Nr-30". Never empty ("-" → "x").
std::string url_slug(std::string_view text);
/// Damerau-Levenshtein distance (optimal string alignment), for "did you mean …?".
int edit_distance(std::string_view a, std::string_view b);

}  // namespace findbuch
