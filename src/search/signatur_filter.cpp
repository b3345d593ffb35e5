#include "search/signatur_filter.hpp"

#include <vector>

#include "core/natural_sort.hpp"
#include "search/document_builder.hpp"
#include "search/field_map.hpp"

namespace findbuch::search {

Xapian::Query SignaturFilter::operator()(const std::string& signatur) {
  std::vector<Xapian::Query> parts;
  // The unit itself, found by its exact term, and everything below it. (A closed unit has a
  // stub in the public index and its full document in the internal one: the same unit id.)
  const std::string exact = exact_signatur_term(signatur);
  for (auto p = db_.postlist_begin(exact); p != db_.postlist_end(exact); ++p) {
    const std::string id = unit_id_of(db_.get_document(*p));
    if (!id.empty()) parts.push_back(at_or_below(id));
  }
  // Signaturen that begin with it in whole parts: in the natural sort key a number is written
  // with its length first, so the key of "C 5" begins that of "C 5.63" but not that of "C 50".
  // After a letter or digit no letter may follow ("C" is not the beginning of "Cl 7", nor "C 5"
  // of "C 5a"). Leading zeros only add a tail that breaks ties (natural_sort.cpp); the query's
  // is left off. No key holds the byte 0xFF.
  std::string key = natural_sort_key(signatur);
  if (const auto tail = key.find('\x01'); tail != std::string::npos) key.erase(tail);
  if (!key.empty()) {
    const auto last = static_cast<unsigned char>(key.back());
    const bool mid_part =
        (last >= 'a' && last <= 'z') || (last >= '0' && last <= '9') || last >= 0x80;
    if (!mid_part) {
      parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSortKey, key, key + '\xff');
    } else {
      // Folded letters are 'a'–'z' and the bytes of UTF-8 sequences (0x80 and above).
      parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSortKey, key, key + "`\xff");
      parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSortKey, key + '{', key + "\x7f\xff");
    }
  }
  if (parts.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

}  // namespace findbuch::search
