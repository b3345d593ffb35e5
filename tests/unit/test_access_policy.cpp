// Proves the access policy of DOMAIN.md §3: structural levels are public, the general, personal,
// secrecy, embargo and shortening rules give exact opening days, the strictest rule wins, undated
// records stay closed, the Zwischenarchiv is hidden, and items inherit the closure of their file.
#include "catalogue/access_policy.hpp"

#include <gtest/gtest.h>

#include "core/date.hpp"
#include "core/laufzeit.hpp"

namespace findbuch {
namespace {

Date d(int y, int m, int dd) {
  return Date{y, m, dd};
}

const Date kToday = d(2026, 11, 26);

/// A record-level unit whose Laufzeit ends on `to`.
Unit record(Level level, std::optional<Date> from, std::optional<Date> to) {
  Unit u;
  u.level = level;
  u.signatur = "C 5.63 Nr. 1";
  u.title = "Bauakte";
  u.laufzeit.from = from;
  u.laufzeit.to = to;
  if (from && to) u.laufzeit.text = std::to_string(from->year) + "-" + std::to_string(to->year);
  return u;
}

Unit file_of_year(int year) {
  return record(Level::File, d(year, 1, 1), d(year, 12, 31));
}

AccessDecision decide(const Unit& u, Date today = kToday, ProtectionRules rules = {},
                      const AncestorFacts& facts = {}) {
  return AccessPolicy(rules).decide(u, facts, today);
}

TEST(AccessPolicy, VisibilityKeys) {
  EXPECT_EQ(visibility_key(Visibility::Public), "public");
  EXPECT_EQ(visibility_key(Visibility::RedactedStub), "redacted");
  EXPECT_EQ(visibility_key(Visibility::Hidden), "hidden");
}

TEST(AccessPolicy, HoldingsArePublicEvenWithRestrictions) {
  // Tektonik groups and Bestände are always public (DOMAIN.md §3), whatever is recorded.
  for (Level level : {Level::TektonikGroup, Level::Bestand}) {
    Unit u = record(level, d(2020, 1, 1), d(2026, 11, 1));
    u.personal_data = true;
    u.secrecy = true;
    u.embargo_until = d(2090, 1, 1);
    const auto decision = decide(u);
    EXPECT_TRUE(decision.open) << level_info(level).key;
    EXPECT_EQ(decision.visibility, Visibility::Public) << level_info(level).key;
    EXPECT_EQ(decision.rule, "structure") << level_info(level).key;
  }
}

TEST(AccessPolicy, InnerHeadingsArePublicUnlessRestrictedThemselves) {
  for (Level level : {Level::Teilbestand, Level::Classification, Level::Series}) {
    Unit u = record(level, d(2020, 1, 1), d(2026, 11, 1));
    EXPECT_EQ(decide(u).rule, "structure") << level_info(level).key;
    u.embargo_until = d(2090, 1, 1);
    const auto decision = decide(u);
    EXPECT_FALSE(decision.open) << level_info(level).key;
    EXPECT_EQ(decision.rule, "embargo") << level_info(level).key;
  }
}

TEST(AccessPolicy, RestrictionsAboveBindTheRecordsBelow) {
  // A deposit contract on a Bestand, a series under secrecy law, a series of personnel files.
  Unit bestand = record(Level::Bestand, std::nullopt, std::nullopt);
  bestand.embargo_until = d(2040, 12, 31);
  AncestorFacts facts;
  facts.add(bestand, decide(bestand));
  const Unit old_file = file_of_year(1900);
  auto decision = decide(old_file, kToday, {}, facts);
  EXPECT_FALSE(decision.open);
  EXPECT_EQ(decision.rule, "embargo");
  EXPECT_EQ(*decision.opens_on, d(2041, 1, 1));

  Unit series = record(Level::Series, std::nullopt, std::nullopt);
  series.secrecy = true;
  AncestorFacts secret;
  secret.add(series, decide(series));
  decision = decide(file_of_year(1980), kToday, {}, secret);
  EXPECT_EQ(decision.rule, "secrecy");
  EXPECT_EQ(*decision.opens_on, d(2041, 1, 1));

  Unit personnel = record(Level::Series, std::nullopt, std::nullopt);
  personnel.personal_data = true;
  AncestorFacts personal;
  personal.add(personnel, decide(personnel));
  decision = decide(file_of_year(1980), kToday, {}, personal);
  EXPECT_EQ(decision.rule, "personal-unknown-dates");
  EXPECT_EQ(*decision.opens_on, d(2041, 1, 1));
}

TEST(AccessPolicy, StructuralLevelWithoutDatesIsPublic) {
  Unit u = record(Level::Bestand, std::nullopt, std::nullopt);
  const auto decision = decide(u);
  EXPECT_TRUE(decision.open);
  EXPECT_EQ(decision.visibility, Visibility::Public);
}

TEST(AccessPolicy, GeneralPeriodThirtyYearsAfterLatestDate) {
  const Unit u = file_of_year(2001);
  const auto closed = decide(u, kToday);
  EXPECT_FALSE(closed.open);
  ASSERT_TRUE(closed.opens_on.has_value());
  EXPECT_EQ(*closed.opens_on, d(2032, 1, 1));
  EXPECT_EQ(closed.rule, "general");
  EXPECT_EQ(closed.visibility, Visibility::RedactedStub);
  EXPECT_EQ(visibility_key(closed.visibility), "redacted");
  EXPECT_NE(closed.reason.find("2001-12-31"), std::string::npos) << closed.reason;

  const auto last_closed_day = decide(u, d(2031, 12, 31));
  EXPECT_FALSE(last_closed_day.open);

  const auto opened = decide(u, d(2032, 1, 1));
  EXPECT_TRUE(opened.open);
  EXPECT_EQ(opened.visibility, Visibility::Public);
  EXPECT_EQ(opened.rule, "general");
  ASSERT_TRUE(opened.opens_on.has_value());
  EXPECT_EQ(*opened.opens_on, d(2032, 1, 1));
}

TEST(AccessPolicy, GeneralPeriodUsesTheExactLatestDay) {
  const Unit u = record(Level::Item, d(1990, 1, 1), d(1995, 3, 14));
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2025, 3, 15));
  EXPECT_TRUE(decision.open);
  EXPECT_EQ(decision.visibility, Visibility::Public);
}

TEST(AccessPolicy, LaufzeitParsedFromTextDrivesThePeriod) {
  Unit u;
  u.level = Level::File;
  u.laufzeit = parse_laufzeit("1998-2001");
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2032, 1, 1));
  EXPECT_FALSE(decision.open);
}

TEST(AccessPolicy, OldFileIsOpen) {
  const auto decision = decide(file_of_year(1950));
  EXPECT_TRUE(decision.open);
  EXPECT_EQ(decision.rule, "general");
  EXPECT_EQ(*decision.opens_on, d(1981, 1, 1));
  EXPECT_EQ(decision.visibility, Visibility::Public);
}

// --- personal records -------------------------------------------------------------------------

TEST(AccessPolicy, PersonalTenYearsAfterDeath) {
  Unit u = file_of_year(1960);
  u.personal_data = true;
  u.persons_concerned = {{"Anna Schmitz", "1921", "2020-05-03"}};
  const auto decision = decide(u);
  EXPECT_FALSE(decision.open);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2030, 5, 4));
  EXPECT_EQ(decision.rule, "personal-after-death");
  EXPECT_NE(decision.reason.find("Anna Schmitz"), std::string::npos) << decision.reason;

  EXPECT_FALSE(decide(u, d(2030, 5, 3)).open);
  EXPECT_TRUE(decide(u, d(2030, 5, 4)).open);
}

TEST(AccessPolicy, PersonalLastToDieCounts) {
  Unit u = file_of_year(1960);
  u.personal_data = true;
  u.persons_concerned = {{"A", "", "2015-01-10"}, {"B", "", "2021-07-01"}, {"C", "", "2018-02-02"}};
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2031, 7, 2));
  EXPECT_EQ(decision.rule, "personal-after-death");
  EXPECT_NE(decision.reason.find("B"), std::string::npos);
}

TEST(AccessPolicy, PersonalHundredYearsAfterBirthYearOnly) {
  Unit u = file_of_year(1960);
  u.personal_data = true;
  u.persons_concerned = {{"Karl Meier", "1950", ""}};
  const auto decision = decide(u);
  EXPECT_FALSE(decision.open);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2051, 1, 1));
  EXPECT_EQ(decision.rule, "personal-after-birth");
}

TEST(AccessPolicy, PersonalLastBornCounts) {
  Unit u = file_of_year(1960);
  u.personal_data = true;
  u.persons_concerned = {{"Older", "1930-04-01", ""}, {"Younger", "1955-08-09", ""}};
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2055, 8, 10));
  EXPECT_EQ(decision.rule, "personal-after-birth");
}

TEST(AccessPolicy, PersonalNeitherDateKnownSixtyYearsAfterLatestDate) {
  Unit u = file_of_year(1980);
  u.personal_data = true;
  u.persons_concerned = {{"Unbekannt", "", ""}};
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2041, 1, 1));
  EXPECT_EQ(decision.rule, "personal-unknown-dates");
  EXPECT_FALSE(decision.open);
}

TEST(AccessPolicy, PersonalDataWithoutPersonsSixtyYears) {
  Unit u = file_of_year(1980);
  u.personal_data = true;
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2041, 1, 1));
  EXPECT_EQ(decision.rule, "personal-unknown-dates");
}

TEST(AccessPolicy, LifeDatesMakeARecordPersonalEvenWithoutTheFlag) {
  Unit u = file_of_year(1980);
  u.persons_concerned = {{"X", "", "2020-05-03"}};
  const auto decision = decide(u);
  EXPECT_EQ(decision.rule, "personal-after-death");
  EXPECT_EQ(*decision.opens_on, d(2030, 5, 4));
  EXPECT_FALSE(decision.open);
}

TEST(AccessPolicy, UnreadableDeathDateKeepsTheRecordClosed) {
  // Born 1920 would open 2021 by the birth rule; a death "ca. 2018" must not fall back to it.
  Unit u = file_of_year(1950);
  u.persons_concerned = {{"X", "1920", "ca. 2018"}};
  const auto decision = decide(u);
  EXPECT_EQ(decision.rule, "personal-unreadable-date");
  EXPECT_FALSE(decision.opens_on.has_value());
  EXPECT_FALSE(decision.open);
}

TEST(AccessPolicy, StrictestOfGeneralAndPersonalWins) {
  Unit u = file_of_year(2010);
  u.personal_data = true;
  u.persons_concerned = {{"Long Dead", "1820", "1900"}};
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2041, 1, 1));
  EXPECT_EQ(decision.rule, "general");
  EXPECT_FALSE(decision.open);
}

TEST(AccessPolicy, DeathBeatsBirthAndUnknownForThePersonWithDates) {
  // A person with a known death date is judged by it even if born long ago; another person with
  // only a birth date can keep the file closed longer.
  Unit u = file_of_year(1930);
  u.personal_data = true;
  u.persons_concerned = {{"A", "1900", "1990-06-30"}, {"B", "1925", ""}};
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2026, 1, 1));
  EXPECT_EQ(decision.rule, "personal-after-birth");
  EXPECT_TRUE(decision.open);
}

// --- secrecy, embargo, shortening -------------------------------------------------------------

TEST(AccessPolicy, SecrecySixtyYears) {
  Unit u = file_of_year(1970);
  u.secrecy = true;
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2031, 1, 1));
  EXPECT_EQ(decision.rule, "secrecy");
  EXPECT_FALSE(decision.open);
}

TEST(AccessPolicy, EmbargoOpensTheDayAfter) {
  Unit u = file_of_year(1950);
  u.embargo_until = d(2030, 12, 31);
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2031, 1, 1));
  EXPECT_EQ(decision.rule, "embargo");
  EXPECT_FALSE(decision.open);
  EXPECT_FALSE(decide(u, d(2030, 12, 31)).open);
  EXPECT_TRUE(decide(u, d(2031, 1, 1)).open);
}

TEST(AccessPolicy, EmbargoBeatsShortening) {
  Unit u = file_of_year(2001);
  u.shortened_to = d(2024, 5, 1);
  u.shortening_reason = "Einwilligung der Betroffenen";
  u.embargo_until = d(2030, 12, 31);
  const auto decision = decide(u);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2031, 1, 1));
  EXPECT_EQ(decision.rule, "embargo");
  EXPECT_FALSE(decision.open);
}

TEST(AccessPolicy, ShorteningReplacesLegalPeriods) {
  Unit u = file_of_year(2001);
  u.personal_data = true;
  u.secrecy = true;
  u.persons_concerned = {{"A", "1980", ""}};
  u.shortened_to = d(2024, 5, 1);
  u.shortening_reason = "Einwilligung der Betroffenen";
  const auto decision = decide(u);
  EXPECT_TRUE(decision.open);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2024, 5, 1));
  EXPECT_EQ(decision.rule, "shortened");
  EXPECT_EQ(decision.visibility, Visibility::Public);
  EXPECT_NE(decision.reason.find("Einwilligung der Betroffenen"), std::string::npos);
  EXPECT_FALSE(decide(u, d(2024, 4, 30)).open);
}

TEST(AccessPolicy, ShorteningLaterThanLegalPeriodStillReplacesIt) {
  // The recorded shortening is the decision for this unit: it replaces the statutory period.
  Unit u = file_of_year(1950);
  u.shortened_to = d(2028, 1, 1);
  u.shortening_reason = "Vereinbarung";
  const auto decision = decide(u);
  EXPECT_EQ(decision.rule, "shortened");
  EXPECT_EQ(*decision.opens_on, d(2028, 1, 1));
  EXPECT_FALSE(decision.open);
}

TEST(AccessPolicy, ShorteningMakesUndatedFileComputable) {
  Unit u = record(Level::File, std::nullopt, std::nullopt);
  u.shortened_to = d(2020, 1, 1);
  u.shortening_reason = "Forschung";
  const auto decision = decide(u);
  EXPECT_TRUE(decision.open);
  EXPECT_EQ(decision.rule, "shortened");
}

// --- undated, Zwischenarchiv, configuration ---------------------------------------------------

TEST(AccessPolicy, UndatedFileIsClosedWithoutOpeningDay) {
  Unit u = record(Level::File, std::nullopt, std::nullopt);
  u.laufzeit = parse_laufzeit("o.D.");
  const auto decision = decide(u, d(2200, 1, 1));
  EXPECT_FALSE(decision.open);
  EXPECT_FALSE(decision.opens_on.has_value());
  EXPECT_EQ(decision.rule, "general");
  EXPECT_EQ(decision.visibility, Visibility::RedactedStub);
}

TEST(AccessPolicy, UndeterminedBeatsADatedRule) {
  Unit u = record(Level::Item, std::nullopt, std::nullopt);
  u.embargo_until = d(2000, 1, 1);  // long over, but the general period cannot be computed
  const auto decision = decide(u);
  EXPECT_FALSE(decision.open);
  EXPECT_FALSE(decision.opens_on.has_value());
}

TEST(AccessPolicy, ZwischenarchivFlagHidesEvenABestand) {
  Unit u = record(Level::Bestand, d(1900, 1, 1), d(1910, 12, 31));
  u.zwischenarchiv = true;
  const auto decision = decide(u);
  EXPECT_FALSE(decision.open);
  EXPECT_EQ(decision.visibility, Visibility::Hidden);
  EXPECT_EQ(decision.rule, "zwischenarchiv");
}

TEST(AccessPolicy, ZwischenarchivAncestorHidesEverythingBelow) {
  AncestorFacts facts;
  facts.in_zwischenarchiv = true;
  for (Level level : {Level::Bestand, Level::Series, Level::File}) {
    const Unit u = record(level, d(1900, 1, 1), d(1900, 12, 31));
    const auto decision = decide(u, kToday, {}, facts);
    EXPECT_FALSE(decision.open) << level_info(level).key;
    EXPECT_EQ(decision.visibility, Visibility::Hidden) << level_info(level).key;
    EXPECT_EQ(decision.rule, "zwischenarchiv");
  }
}

TEST(AccessPolicy, ClosedUnitsHiddenWhenStubsAreOff) {
  ProtectionRules rules;
  rules.closed_shown_as_stub = false;
  const auto closed = decide(file_of_year(2001), kToday, rules);
  EXPECT_FALSE(closed.open);
  EXPECT_EQ(closed.visibility, Visibility::Hidden);
  const auto open = decide(file_of_year(1950), kToday, rules);
  EXPECT_TRUE(open.open);
  EXPECT_EQ(open.visibility, Visibility::Public);
}

TEST(AccessPolicy, ConfigurableFiguresChangeTheResult) {
  ProtectionRules rules;
  rules.general_years = 10;
  const auto decision = decide(file_of_year(2001), kToday, rules);
  EXPECT_TRUE(decision.open);
  EXPECT_EQ(*decision.opens_on, d(2012, 1, 1));

  ProtectionRules personal;
  personal.after_death_years = 5;
  personal.after_birth_years = 90;
  personal.personal_unknown_years = 40;
  personal.secrecy_years = 70;
  Unit died = file_of_year(1960);
  died.personal_data = true;
  died.persons_concerned = {{"A", "", "2020-05-03"}};
  EXPECT_EQ(*decide(died, kToday, personal).opens_on, d(2025, 5, 4));
  Unit born = file_of_year(1960);
  born.personal_data = true;
  born.persons_concerned = {{"A", "1950", ""}};
  EXPECT_EQ(*decide(born, kToday, personal).opens_on, d(2041, 1, 1));
  Unit unknown = file_of_year(1980);
  unknown.personal_data = true;
  EXPECT_EQ(*decide(unknown, kToday, personal).opens_on, d(2021, 1, 1));
  Unit secret = file_of_year(1970);
  secret.secrecy = true;
  EXPECT_EQ(*decide(secret, kToday, personal).opens_on, d(2041, 1, 1));
  EXPECT_EQ(AccessPolicy(personal).rules().secrecy_years, 70);
}

TEST(AccessPolicy, LeapDayLatestDate) {
  const Unit u = record(Level::File, d(1990, 1, 1), d(1996, 2, 29));
  const auto decision = decide(u);
  // 29 Feb + 30 years is 28 Feb 2026 (not a leap year); open from the next day.
  EXPECT_EQ(*decision.opens_on, d(2026, 3, 1));
}

TEST(AccessPolicy, DecideIsPure) {
  Unit u = file_of_year(2001);
  u.personal_data = true;
  u.persons_concerned = {{"A", "", "2020-05-03"}};
  const AccessPolicy policy({});
  const auto a = policy.decide(u, {}, kToday);
  const auto b = policy.decide(u, {}, kToday);
  EXPECT_EQ(a.open, b.open);
  EXPECT_EQ(a.opens_on, b.opens_on);
  EXPECT_EQ(a.rule, b.rule);
  EXPECT_EQ(a.reason, b.reason);
}

// --- ancestors --------------------------------------------------------------------------------

TEST(AncestorFacts, ItemInsideClosedFileStaysClosedUntilTheFileOpens) {
  const AccessPolicy policy({});
  const Unit file = file_of_year(2001);  // opens 2032-01-01
  const Unit item = record(Level::Item, d(1950, 1, 1), d(1950, 12, 31));

  AncestorFacts facts;
  facts.add(file, policy.decide(file, {}, kToday));
  ASSERT_TRUE(facts.record_opens_on.has_value());
  EXPECT_EQ(*facts.record_opens_on, d(2032, 1, 1));
  EXPECT_FALSE(facts.record_undetermined);

  const auto decision = policy.decide(item, facts, kToday);
  EXPECT_FALSE(decision.open);
  ASSERT_TRUE(decision.opens_on.has_value());
  EXPECT_EQ(*decision.opens_on, d(2032, 1, 1));
  EXPECT_EQ(decision.rule, "enclosing-record");
  EXPECT_EQ(decision.visibility, Visibility::RedactedStub);
  EXPECT_TRUE(policy.decide(item, facts, d(2032, 1, 1)).open);

  // Without the enclosing file the item would be open.
  EXPECT_TRUE(policy.decide(item, {}, kToday).open);
}

TEST(AncestorFacts, ItsOwnLongerPeriodStillWinsOverTheFile) {
  const AccessPolicy policy({});
  const Unit file = file_of_year(1990);  // opens 2021-01-01
  Unit item = record(Level::Item, d(1990, 1, 1), d(1990, 12, 31));
  item.secrecy = true;  // 2051-01-01
  AncestorFacts facts;
  facts.add(file, policy.decide(file, {}, kToday));
  const auto decision = policy.decide(item, facts, kToday);
  EXPECT_EQ(decision.rule, "secrecy");
  EXPECT_EQ(*decision.opens_on, d(2051, 1, 1));
}

TEST(AncestorFacts, ShorteningOfTheItemDoesNotOverrideTheEnclosingFile) {
  const AccessPolicy policy({});
  const Unit file = file_of_year(2001);  // 2032-01-01
  Unit item = record(Level::Item, d(2001, 1, 1), d(2001, 12, 31));
  item.shortened_to = d(2020, 1, 1);
  item.shortening_reason = "Forschung";
  AncestorFacts facts;
  facts.add(file, policy.decide(file, {}, kToday));
  const auto decision = policy.decide(item, facts, kToday);
  EXPECT_FALSE(decision.open);
  EXPECT_EQ(decision.rule, "enclosing-record");
  EXPECT_EQ(*decision.opens_on, d(2032, 1, 1));
}

TEST(AncestorFacts, LatestOpeningAmongRecordAncestorsIsKept) {
  const AccessPolicy policy({});
  AncestorFacts facts;
  const Unit outer = file_of_year(2001);  // 2032-01-01
  const Unit inner = file_of_year(1990);  // 2021-01-01
  facts.add(outer, policy.decide(outer, facts, kToday));
  facts.add(inner, policy.decide(inner, facts, kToday));
  ASSERT_TRUE(facts.record_opens_on.has_value());
  EXPECT_EQ(*facts.record_opens_on, d(2032, 1, 1));
}

TEST(AncestorFacts, StructuralAncestorsDoNotPropagate) {
  const AccessPolicy policy({});
  AncestorFacts facts;
  for (Level level : {Level::TektonikGroup, Level::Bestand, Level::Teilbestand,
                      Level::Classification, Level::Series}) {
    const Unit u = record(level, d(2020, 1, 1), d(2026, 1, 1));
    facts.add(u, policy.decide(u, facts, kToday));
  }
  EXPECT_FALSE(facts.record_opens_on.has_value());
  EXPECT_FALSE(facts.record_undetermined);
  EXPECT_FALSE(facts.in_zwischenarchiv);
  const Unit item = record(Level::Item, d(1950, 1, 1), d(1950, 12, 31));
  EXPECT_TRUE(policy.decide(item, facts, kToday).open);
}

TEST(AncestorFacts, UndatedEnclosingFileKeepsItemClosedForever) {
  const AccessPolicy policy({});
  const Unit file = record(Level::File, std::nullopt, std::nullopt);
  AncestorFacts facts;
  facts.add(file, policy.decide(file, {}, kToday));
  EXPECT_TRUE(facts.record_undetermined);
  const Unit item = record(Level::Item, d(1950, 1, 1), d(1950, 12, 31));
  const auto decision = policy.decide(item, facts, d(2300, 1, 1));
  EXPECT_FALSE(decision.open);
  EXPECT_FALSE(decision.opens_on.has_value());
  EXPECT_EQ(decision.rule, "enclosing-record");
}

TEST(AncestorFacts, ZwischenarchivFlagPropagatesFromStructuralAncestors) {
  const AccessPolicy policy({});
  Unit group = record(Level::TektonikGroup, std::nullopt, std::nullopt);
  group.zwischenarchiv = true;
  AncestorFacts facts;
  facts.add(group, policy.decide(group, facts, kToday));
  EXPECT_TRUE(facts.in_zwischenarchiv);
  const Unit bestand = record(Level::Bestand, std::nullopt, std::nullopt);
  const auto decision = policy.decide(bestand, facts, kToday);
  EXPECT_EQ(decision.visibility, Visibility::Hidden);
  EXPECT_FALSE(decision.open);
}

TEST(AncestorFacts, FixedClockDrivesTheDecision) {
  const FixedClock before(d(2031, 12, 31));
  const FixedClock after(d(2032, 1, 1));
  const AccessPolicy policy({});
  const Unit u = file_of_year(2001);
  EXPECT_FALSE(policy.decide(u, {}, before.today()).open);
  EXPECT_TRUE(policy.decide(u, {}, after.today()).open);
}

}  // namespace
}  // namespace findbuch
