#pragma once
// The one access policy (DOMAIN.md §3, ARCHITECTURE.md): for any unit and day it says whether the
// unit is open, when it opens, which rule decided, and what a public surface may show of it.
// Every public surface (index, exports, OAI-PMH, web pages) asks only this.
#include <optional>
#include <string>
#include <vector>

#include "catalogue/unit.hpp"
#include "core/date.hpp"

namespace findbuch {

/// Protection-period figures; the defaults are ArchivG NRW § 7. Configurable per archive.
struct ProtectionRules {
  int general_years = 30;           ///< after the latest date of the unit
  int after_death_years = 10;       ///< personal: after the death of the last to die
  int after_birth_years = 100;      ///< personal, death unknown: after the birth of the last born
  int personal_unknown_years = 60;  ///< personal, neither known: after the latest date
  int secrecy_years = 60;           ///< records under secrecy law
  /// What the public sees of a closed unit: a redacted stub (Signatur, level, Laufzeit,
  /// "gesperrt bis …") or nothing.
  bool closed_shown_as_stub = true;
};

enum class Visibility { Public, RedactedStub, Hidden };
std::string_view visibility_key(Visibility v);

struct AccessDecision {
  bool open = false;
  std::optional<Date> opens_on;  ///< first day the unit is open; nullopt = never computable / never
  std::string rule;              ///< key of the deciding rule, e.g. "personal-after-death"
  std::string reason;            ///< German explanation for people
  Visibility visibility = Visibility::Hidden;
};

/// What the policy needs to know about the ancestors of a unit, collected by the store walking
/// from the root down. An item inside a file is closed at least as long as the file.
struct AncestorFacts {
  bool in_zwischenarchiv = false;       ///< a node above is flagged Zwischenarchiv
  std::optional<Date> record_opens_on;  ///< latest opening day among record-level ancestors
  bool record_undetermined = false;     ///< a record-level ancestor's period cannot be computed
  // Restrictions recorded on any unit above (a deposit contract on a Bestand, a series under
  // secrecy law, a series of personnel files) bind every record below it.
  std::optional<Date> embargo_until;  ///< the latest embargo above
  bool secrecy = false;
  bool personal_data = false;

  /// Folds the decision of the ancestor `unit` into the facts for its children.
  void add(const Unit& unit, const AccessDecision& decision);
};

class AccessPolicy {
 public:
  explicit AccessPolicy(ProtectionRules rules) : rules_(rules) {}
  /// Decides for `unit` on `today`. Pure: the same inputs give the same answer.
  AccessDecision decide(const Unit& unit, const AncestorFacts& ancestors, Date today) const;
  const ProtectionRules& rules() const { return rules_; }

 private:
  ProtectionRules rules_;
};

}  // namespace findbuch
