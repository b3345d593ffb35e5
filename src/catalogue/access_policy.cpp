#include "catalogue/access_policy.hpp"

namespace findbuch {
namespace {

/// One rule's verdict: closed until the day before `opens_on`, or undetermined.
struct Closure {
  std::optional<Date> opens_on;  ///< nullopt: the period cannot be computed (dates missing)
  std::string rule;
  std::string reason;
};

std::optional<Date> after(std::optional<Date> day, int years) {
  if (!day) return std::nullopt;
  return day->plus_years(years).next_day();
}

/// Picks the closure that keeps the unit closed longest; an undetermined one wins.
const Closure* strictest(const std::vector<Closure>& closures) {
  const Closure* best = nullptr;
  for (const auto& c : closures) {
    if (!best) {
      best = &c;
    } else if (best->opens_on && (!c.opens_on || *c.opens_on > *best->opens_on)) {
      best = &c;
    }
  }
  return best;
}

std::string years(int n) {
  return std::to_string(n) + " Jahre";
}

}  // namespace

std::string_view visibility_key(Visibility v) {
  switch (v) {
    case Visibility::Public:
      return "public";
    case Visibility::RedactedStub:
      return "redacted";
    case Visibility::Hidden:
      return "hidden";
  }
  return "hidden";
}

void AncestorFacts::add(const Unit& unit, const AccessDecision& decision) {
  if (unit.zwischenarchiv) in_zwischenarchiv = true;
  if (unit.embargo_until && (!embargo_until || *unit.embargo_until > *embargo_until))
    embargo_until = unit.embargo_until;
  secrecy = secrecy || unit.secrecy;
  personal_data = personal_data || unit.personal_data || !unit.persons_concerned.empty();
  if (is_structural_level(unit.level)) return;
  if (!decision.opens_on) {
    record_undetermined = true;
    return;
  }
  if (!record_opens_on || *decision.opens_on > *record_opens_on)
    record_opens_on = decision.opens_on;
}

AccessDecision AccessPolicy::decide(const Unit& unit, const AncestorFacts& ancestors,
                                    Date today) const {
  AccessDecision d;
  if (unit.zwischenarchiv || ancestors.in_zwischenarchiv) {
    d.rule = "zwischenarchiv";
    d.reason = "Zwischenarchiv: Unterlagen vor der Bewertung sind nie öffentlich";
    d.visibility = Visibility::Hidden;
    return d;
  }
  // Holdings (Tektonik groups, Bestände) are always public. Their inner headings are too,
  // unless a restriction is recorded on the heading itself: then it is judged like a record.
  const bool restricted_heading =
      unit.embargo_until || unit.secrecy || unit.personal_data || !unit.persons_concerned.empty();
  if (is_holdings_level(unit.level) || (is_structural_level(unit.level) && !restricted_heading)) {
    d.open = true;
    d.rule = "structure";
    d.reason = "Tektonik, Bestand und Gliederung sind immer öffentlich";
    d.visibility = Visibility::Public;
    return d;
  }

  const std::optional<Date> latest = unit.laufzeit.to;
  const std::string no_date = "Laufzeit fehlt oder ist nicht lesbar: Schutzfrist nicht berechenbar";
  std::vector<Closure> legal;
  legal.push_back({after(latest, rules_.general_years), "general",
                   latest ? "allgemeine Schutzfrist: " + years(rules_.general_years) +
                                " nach dem jüngsten Datum (" + latest->iso() + ")"
                          : no_date});
  // Life dates recorded for a person make a record personal even without the flag.
  const bool personal =
      unit.personal_data || !unit.persons_concerned.empty() || ancestors.personal_data;
  if (personal) {
    if (unit.persons_concerned.empty()) {
      legal.push_back({after(latest, rules_.personal_unknown_years), "personal-unknown-dates",
                       "personenbezogen, Lebensdaten unbekannt: " +
                           years(rules_.personal_unknown_years) + " nach dem jüngsten Datum"});
    }
    for (const auto& p : unit.persons_concerned) {
      const auto died = Date::parse_lenient(p.died, true);
      const auto born = Date::parse_lenient(p.born, true);
      if ((!p.died.empty() && !died) || (p.died.empty() && !p.born.empty() && !born)) {
        // A recorded date that cannot be read must not fall back to a shorter rule.
        legal.push_back({std::nullopt, "personal-unreadable-date",
                         "personenbezogen: Lebensdatum von " + p.name + " nicht lesbar (" +
                             (p.died.empty() ? p.born : p.died) + ")"});
      } else if (died) {
        legal.push_back({after(died, rules_.after_death_years), "personal-after-death",
                         "personenbezogen: " + years(rules_.after_death_years) +
                             " nach dem Tod von " + p.name + " (" + p.died + ")"});
      } else if (born) {
        legal.push_back(
            {after(born, rules_.after_birth_years), "personal-after-birth",
             "personenbezogen, Todesdatum unbekannt: " + years(rules_.after_birth_years) +
                 " nach der Geburt von " + p.name + " (" + p.born + ")"});
      } else {
        legal.push_back({after(latest, rules_.personal_unknown_years), "personal-unknown-dates",
                         "personenbezogen, Lebensdaten von " + p.name + " unbekannt: " +
                             years(rules_.personal_unknown_years) + " nach dem jüngsten Datum"});
      }
    }
  }
  if (unit.secrecy || ancestors.secrecy)
    legal.push_back(
        {after(latest, rules_.secrecy_years), "secrecy",
         "Geheimhaltungsvorschrift: " + years(rules_.secrecy_years) + " nach dem jüngsten Datum"});

  // A recorded shortening replaces the statutory periods; contracts and embargoes still bind.
  std::vector<Closure> all;
  if (unit.shortened_to) {
    all.push_back(
        {unit.shortened_to, "shortened", "Schutzfrist verkürzt: " + unit.shortening_reason});
  } else {
    all = std::move(legal);
  }
  std::optional<Date> embargo = unit.embargo_until;
  if (ancestors.embargo_until && (!embargo || *ancestors.embargo_until > *embargo))
    embargo = ancestors.embargo_until;
  if (embargo)
    all.push_back(
        {embargo->next_day(), "embargo", "Sperre laut Vertrag/Vereinbarung bis " + embargo->iso()});
  if (ancestors.record_undetermined)
    all.push_back({std::nullopt, "enclosing-record",
                   "gehört zu einer Akte, deren Schutzfrist nicht berechenbar ist"});
  else if (ancestors.record_opens_on)
    all.push_back({ancestors.record_opens_on, "enclosing-record",
                   "gehört zu einer Akte, die erst ab " + ancestors.record_opens_on->iso() +
                       " zugänglich ist"});

  const Closure* decisive = strictest(all);
  d.opens_on = decisive->opens_on;
  d.rule = decisive->rule;
  d.reason = decisive->reason;
  d.open = d.opens_on && today >= *d.opens_on;
  if (d.open) {
    d.visibility = Visibility::Public;
  } else {
    d.visibility = rules_.closed_shown_as_stub ? Visibility::RedactedStub : Visibility::Hidden;
  }
  return d;
}

}  // namespace findbuch
