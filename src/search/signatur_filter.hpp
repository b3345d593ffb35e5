#pragma once
// `signatur:X` — the unit with Signatur X and everything below it in the Tektonik, and every unit
// whose Signatur begins with X in whole parts (`signatur:"C 5"` finds C 5, C 5.63 and C 5.63
// Nr. 1, not C 50). A filter without weight. The words of the Signaturen are in the plain text;
// the field itself needs no terms beyond the exact Signatur every document has: a stemmed term
// per part of every Signatur cost a twentieth of indexing time and found parts anywhere
// (`signatur:nr`), which nobody means.
#include <xapian.h>

#include <string>

namespace findbuch::search {

class SignaturFilter : public Xapian::FieldProcessor {
 public:
  explicit SignaturFilter(const Xapian::Database& db) : db_(db) {}

  /// `signatur`: the value after "signatur:" (quoted or not), folded and lower case but spelt as
  /// typed (Language::normalise_query).
  Xapian::Query operator()(const std::string& signatur) override;

 private:
  Xapian::Database db_;
};

}  // namespace findbuch::search
