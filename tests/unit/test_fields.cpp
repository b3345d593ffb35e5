// Proves the field table and level table: keys and German aliases resolve, every list syntax
// round-trips through set/get, yes/no and dates are checked with messages that name the field,
// and the level names and containment rules follow DOMAIN.md §1.
#include "catalogue/fields.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "catalogue/unit.hpp"
#include "core/error.hpp"
#include "core/laufzeit.hpp"
#include "support/checks.hpp"

namespace findbuch {
namespace {

const FieldSpec& field(std::string_view name) {
  const FieldSpec* f = find_field(name);
  if (!f) throw std::logic_error("no field " + std::string(name));
  return *f;
}

/// The message of the InputError `fn` throws, or "" when it throws none.
template <typename Fn>
std::string input_error(Fn fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

using testing::contains;

// --- the field table --------------------------------------------------------------------------

TEST(Fields, KeysAreUniqueAndFindable) {
  std::set<std::string> seen;
  for (const auto& f : field_table()) {
    EXPECT_TRUE(seen.insert(std::string(f.key)).second) << f.key;
    EXPECT_EQ(find_field(f.key), &f) << f.key;
    EXPECT_FALSE(f.label.empty()) << f.key;
    for (auto alias : f.aliases) EXPECT_EQ(find_field(alias), &f) << alias;
  }
  EXPECT_EQ(field_keys().size(), field_table().size());
  EXPECT_EQ(field_keys().front(), "signatur");
}

TEST(Fields, GermanAliasesResolve) {
  ASSERT_NE(find_field("titel"), nullptr);
  EXPECT_EQ(find_field("titel")->key, "title");
  ASSERT_NE(find_field("enthält"), nullptr);
  EXPECT_EQ(find_field("enthält")->key, "enthaelt");
  ASSERT_NE(find_field("lagerort"), nullptr);
  EXPECT_EQ(find_field("lagerort")->key, "storage_location");
  ASSERT_NE(find_field("vorsignatur"), nullptr);
  EXPECT_EQ(find_field("vorsignatur")->key, "former_reference");
  ASSERT_NE(find_field("provenienz"), nullptr);
  EXPECT_EQ(find_field("provenienz")->key, "creator");
}

TEST(Fields, LookupIgnoresAsciiCaseAndSurroundingSpace) {
  ASSERT_NE(find_field("  Titel "), nullptr);
  EXPECT_EQ(find_field("  Titel ")->key, "title");
  ASSERT_NE(find_field("SIGNATUR"), nullptr);
  EXPECT_EQ(find_field("SIGNATUR")->key, "signatur");
  ASSERT_NE(find_field("Enthält"), nullptr);
  EXPECT_EQ(find_field("Enthält")->key, "enthaelt");
}

TEST(Fields, UnknownNameIsNull) {
  EXPECT_EQ(find_field("titl"), nullptr);
  EXPECT_EQ(find_field(""), nullptr);
  EXPECT_EQ(find_field("Bestand"), nullptr);
}

TEST(Fields, TextFieldsRoundTripTrimmed) {
  Unit u;
  field("storage_location").set(u, "  Magazin 3, Regal 12  ");
  EXPECT_EQ(u.storage_location, "Magazin 3, Regal 12");
  EXPECT_EQ(field("lagerort").get(u), "Magazin 3, Regal 12");
  field("enthält").set(u, "Bauantrag; Pläne");
  EXPECT_EQ(u.enthaelt, "Bauantrag; Pläne");
  EXPECT_EQ(field("enthaelt").get(u), "Bauantrag; Pläne");
}

TEST(Fields, TitleNormalisesSpaceAndMustNotBeEmpty) {
  Unit u;
  field("titel").set(u, "  Neubau   Rathaus\n Hilden ");
  EXPECT_EQ(u.title, "Neubau Rathaus Hilden");
  const auto msg = input_error([&] { field("title").set(u, "   "); });
  EXPECT_TRUE(contains(msg, "title")) << msg;
  EXPECT_EQ(u.title, "Neubau Rathaus Hilden");
}

TEST(Fields, SettingSignaturClearsGeneratedFlag) {
  Unit u;
  u.signatur_generated = true;
  field("signatur").set(u, " C 5.63  Nr. 1234 ");
  EXPECT_EQ(u.signatur, "C 5.63 Nr. 1234");
  EXPECT_FALSE(u.signatur_generated);
  EXPECT_TRUE(contains(input_error([&] { field("signatur").set(u, ""); }), "signatur"));
}

TEST(Fields, LaufzeitIsParsedAndKeepsItsText) {
  Unit u;
  field("laufzeit").set(u, "1890-1923");
  EXPECT_EQ(u.laufzeit.text, "1890-1923");
  ASSERT_TRUE(u.laufzeit.from.has_value());
  ASSERT_TRUE(u.laufzeit.to.has_value());
  EXPECT_EQ(*u.laufzeit.from, (Date{1890, 1, 1}));
  EXPECT_EQ(*u.laufzeit.to, (Date{1923, 12, 31}));
  EXPECT_EQ(field("datierung").get(u), "1890-1923");
}

// --- list syntaxes ----------------------------------------------------------------------------

TEST(Fields, TermsRoundTripWithAndWithoutGnd) {
  Unit u;
  field("persons").set(u, "Adenauer, Konrad|118500775; Heuss, Theodor");
  ASSERT_EQ(u.index_terms.size(), 2u);
  EXPECT_EQ(u.index_terms[0],
            (IndexTerm{IndexTerm::Kind::Person, "Adenauer, Konrad", "118500775"}));
  EXPECT_EQ(u.index_terms[1], (IndexTerm{IndexTerm::Kind::Person, "Heuss, Theodor", ""}));
  EXPECT_EQ(field("persons").get(u), "Adenauer, Konrad|118500775; Heuss, Theodor");
}

TEST(Fields, TermsOfOtherKindsAreKeptWhenOneKindIsSet) {
  Unit u;
  field("orte").set(u, "Hilden|4024844-8");
  field("subjects").set(u, "Bauwesen");
  field("persons").set(u, "Meier, Karl");
  field("corporate_bodies").set(u, "Stadtrat Hilden");
  EXPECT_EQ(u.index_terms.size(), 4u);
  EXPECT_EQ(field("places").get(u), "Hilden|4024844-8");
  EXPECT_EQ(field("sachbegriffe").get(u), "Bauwesen");
  EXPECT_EQ(field("körperschaften").get(u), "Stadtrat Hilden");
  // Replacing one kind leaves the others alone; the empty text clears it.
  field("places").set(u, "Haan; Solingen|4055316-6");
  EXPECT_EQ(field("places").get(u), "Haan; Solingen|4055316-6");
  EXPECT_EQ(field("persons").get(u), "Meier, Karl");
  field("places").set(u, "");
  EXPECT_EQ(field("places").get(u), "");
  EXPECT_EQ(u.index_terms.size(), 3u);
}

TEST(Fields, TermWithoutNameIsRefusedNamingTheField) {
  Unit u;
  const auto msg = input_error([&] { field("places").set(u, "|4024844-8"); });
  EXPECT_TRUE(contains(msg, "places")) << msg;
  EXPECT_TRUE(parse_terms("", IndexTerm::Kind::Place, "places").empty());
}

TEST(Fields, FormatTermsFiltersByKind) {
  const std::vector<IndexTerm> terms = {{IndexTerm::Kind::Place, "Hilden", ""},
                                        {IndexTerm::Kind::Person, "A", "1"},
                                        {IndexTerm::Kind::Place, "Haan", "2"}};
  EXPECT_EQ(format_terms(terms, IndexTerm::Kind::Place), "Hilden; Haan|2");
  EXPECT_EQ(format_terms(terms, IndexTerm::Kind::Person), "A|1");
  EXPECT_EQ(format_terms(terms, IndexTerm::Kind::Subject), "");
}

TEST(Fields, PersonsConcernedRoundTrip) {
  Unit u;
  field("persons_concerned").set(u, "Name|1921|1990-05-01; Zweite Person|1931|");
  ASSERT_EQ(u.persons_concerned.size(), 2u);
  EXPECT_EQ(u.persons_concerned[0], (PersonConcerned{"Name", "1921", "1990-05-01"}));
  EXPECT_EQ(u.persons_concerned[1], (PersonConcerned{"Zweite Person", "1931", ""}));
  EXPECT_EQ(field("persons_concerned").get(u), "Name|1921|1990-05-01; Zweite Person|1931|");
  // What get returns, set accepts again.
  Unit v;
  field("betroffene").set(v, field("persons_concerned").get(u));
  EXPECT_EQ(v.persons_concerned, u.persons_concerned);
}

TEST(Fields, PersonsConcernedNameOnlyAndBadInput) {
  auto only_name = parse_persons_concerned("Anna Schmitz");
  ASSERT_EQ(only_name.size(), 1u);
  EXPECT_EQ(only_name[0], (PersonConcerned{"Anna Schmitz", "", ""}));
  EXPECT_EQ(format_persons_concerned(only_name), "Anna Schmitz||");

  auto msg = input_error([] { parse_persons_concerned("A|1|2|3"); });
  EXPECT_TRUE(contains(msg, "persons_concerned")) << msg;
  msg = input_error([] { parse_persons_concerned("|1921|1990"); });
  EXPECT_TRUE(contains(msg, "persons_concerned")) << msg;
  msg = input_error([] { parse_persons_concerned("A|gestern|"); });
  EXPECT_TRUE(contains(msg, "persons_concerned")) << msg;
  EXPECT_TRUE(contains(msg, "gestern")) << msg;
  msg = input_error([] { parse_persons_concerned("A|1921|1990-13-45"); });
  EXPECT_TRUE(contains(msg, "1990-13-45")) << msg;
}

TEST(Fields, DigitalObjectsRoundTrip) {
  Unit u;
  field("digitalisate")
      .set(u, "image_full|https://x.de/1.jpg|Blatt 1; externer_viewer|https://v.de/1");
  ASSERT_EQ(u.digital_objects.size(), 2u);
  EXPECT_EQ(u.digital_objects[0], (DigitalObject{"image_full", "https://x.de/1.jpg", "Blatt 1"}));
  EXPECT_EQ(u.digital_objects[1], (DigitalObject{"externer_viewer", "https://v.de/1", ""}));
  EXPECT_EQ(field("digital_objects").get(u),
            "image_full|https://x.de/1.jpg|Blatt 1; externer_viewer|https://v.de/1");
  const auto msg = input_error([&] { field("dao").set(u, "nur-eine-rolle"); });
  EXPECT_TRUE(contains(msg, "digital_objects")) << msg;
}

TEST(Fields, EveryFieldRoundTripsThroughGetAndSet) {
  // import_batch overlays existing units with f.set(after, f.get(in)): the text form must read
  // back to the same unit for ordinary values.
  Unit u;
  u.signatur = "C 5.63 Nr. 1234";
  u.ead_id = "c563-1234";
  u.level = Level::Item;
  u.title = "Neubau Rathaus";
  u.laufzeit = parse_laufzeit("1890-1923");
  u.extent = "1 Akte";
  u.storage_location = "Magazin 3";
  u.index_terms = {{IndexTerm::Kind::Person, "Meier, Karl", "118"},
                   {IndexTerm::Kind::Place, "Hilden", ""},
                   {IndexTerm::Kind::CorporateBody, "Stadtrat", ""},
                   {IndexTerm::Kind::Subject, "Bauwesen", "4004733-8"}};
  u.digital_objects = {{"image_full", "https://x.de/1.jpg", "Blatt 1"}};
  u.personal_data = true;
  u.persons_concerned = {{"Karl Meier", "1921", "1990-05-01"}};
  u.secrecy = true;
  u.embargo_until = Date{2030, 12, 31};
  u.shortened_to = Date{2024, 5, 1};
  u.shortening_reason = "Einwilligung";
  u.zwischenarchiv = true;
  Unit v;
  for (const auto& f : field_table()) f.set(v, f.get(u));
  EXPECT_TRUE(v.same_description(u));
  for (const auto& f : field_table()) EXPECT_EQ(f.get(v), f.get(u)) << f.key;
}

// The three tests below document bugs found while writing these tests (see the report); they
// fail today. Enable them once fields.cpp is fixed.

TEST(Fields, DigitalObjectWithoutRoleRoundTrips) {
  // EAD import stores <daoloc href="..."/> without role as {"", href, ""}.
  Unit u;
  u.digital_objects = {{"", "https://example.org/1.jpg", ""},
                       {"image_full", "https://example.org/2.jpg", "Blatt 2"}};
  Unit v;
  EXPECT_NO_THROW(field("digital_objects").set(v, field("digital_objects").get(u)));
  EXPECT_EQ(v.digital_objects, u.digital_objects);
  // An object without a URL is no object.
  EXPECT_THROW(field("digital_objects").set(v, "image_full||Blatt 1"), InputError);
}

TEST(Fields, CopyKeepsTermsTheTextFormWouldSplit) {
  // EAD <subject>Bauwesen; Hochbau</subject> is one term; imports copy fields directly, so a
  // second import of an unchanged file finds the same single term.
  Unit from;
  from.index_terms = {{IndexTerm::Kind::Subject, "Bauwesen; Hochbau", ""},
                      {IndexTerm::Kind::Person, "Müller, Hans", ""}};
  Unit to;
  to.index_terms = {{IndexTerm::Kind::Subject, "alt", ""}, {IndexTerm::Kind::Place, "Köln", ""}};
  field("subjects").copy(to, from);
  ASSERT_EQ(to.index_terms.size(), 2u);
  EXPECT_EQ(to.index_terms[0].name, "Köln");
  EXPECT_EQ(to.index_terms[1].name, "Bauwesen; Hochbau");
}

TEST(Fields, CopyKeepsTheLaufzeitNormal) {
  Unit from;
  from.laufzeit = *laufzeit_from_normal("1900-01-01/1902-12-31", "Anfang 20. Jh.");
  Unit to;
  field("laufzeit").copy(to, from);
  EXPECT_EQ(to.laufzeit, from.laufzeit);
}

TEST(Fields, FailedShorteningLeavesUnitUnchanged) {
  // Every setter validates before it assigns.
  Unit u;
  EXPECT_THROW(field("shortening").set(u, "2024-05-01"), InputError);
  EXPECT_FALSE(u.shortened_to.has_value());
}

// --- yes/no -----------------------------------------------------------------------------------

TEST(Fields, YesNoAcceptsTheDocumentedSpellings) {
  for (const char* yes : {"ja", "JA", "yes", "true", "True", "1", "x", "X", " j ", "y"})
    EXPECT_TRUE(parse_yes_no(yes, "secrecy")) << yes;
  for (const char* no : {"nein", "Nein", "no", "false", "0", "", "  ", "n"})
    EXPECT_FALSE(parse_yes_no(no, "secrecy")) << no;
}

TEST(Fields, YesNoErrorNamesFieldAndAllowedValues) {
  const auto msg = input_error([] { parse_yes_no("vielleicht", "personal_data"); });
  EXPECT_TRUE(contains(msg, "personal_data")) << msg;
  EXPECT_TRUE(contains(msg, "vielleicht")) << msg;
  EXPECT_TRUE(contains(msg, "ja")) << msg;
  EXPECT_TRUE(contains(msg, "nein")) << msg;
}

TEST(Fields, FlagFieldsSetAndGet) {
  Unit u;
  field("personenbezogen").set(u, "ja");
  EXPECT_TRUE(u.personal_data);
  EXPECT_EQ(field("personal_data").get(u), "ja");
  field("personal_data").set(u, "nein");
  EXPECT_FALSE(u.personal_data);
  EXPECT_EQ(field("personal_data").get(u), "");

  field("geheimhaltung").set(u, "1");
  EXPECT_TRUE(u.secrecy);
  field("zwischenarchiv").set(u, "x");
  EXPECT_TRUE(u.zwischenarchiv);

  const auto msg = input_error([&] { field("geheimhaltung").set(u, "maybe"); });
  EXPECT_TRUE(contains(msg, "secrecy")) << msg;
  EXPECT_TRUE(u.secrecy);  // unchanged after the error
}

// --- dates ------------------------------------------------------------------------------------

TEST(Fields, EmbargoDateForms) {
  Unit u;
  field("embargo_until").set(u, "2030-12-31");
  ASSERT_TRUE(u.embargo_until.has_value());
  EXPECT_EQ(*u.embargo_until, (Date{2030, 12, 31}));
  EXPECT_EQ(field("sperre_bis").get(u), "2030-12-31");

  field("embargo").set(u, "15.03.2029");
  EXPECT_EQ(*u.embargo_until, (Date{2029, 3, 15}));

  // A year alone is widened to its last day (the cautious choice).
  field("embargo_until").set(u, "2035");
  EXPECT_EQ(*u.embargo_until, (Date{2035, 12, 31}));

  field("embargo_until").set(u, "");
  EXPECT_FALSE(u.embargo_until.has_value());
  EXPECT_EQ(field("embargo_until").get(u), "");
}

TEST(Fields, BadEmbargoDateIsInputErrorNamingTheField) {
  Unit u;
  for (const char* bad : {"2030-02-30", "morgen", "31.12.20301"}) {
    const auto msg = input_error([&] { field("embargo_until").set(u, bad); });
    EXPECT_TRUE(contains(msg, "embargo_until")) << bad << ": " << msg;
    EXPECT_TRUE(contains(msg, bad)) << msg;
  }
  EXPECT_FALSE(u.embargo_until.has_value());
}

TEST(Fields, ShorteningNeedsAReason) {
  Unit u;
  field("shortening").set(u, "2024-05-01 Einwilligung der Betroffenen");
  ASSERT_TRUE(u.shortened_to.has_value());
  EXPECT_EQ(*u.shortened_to, (Date{2024, 5, 1}));
  EXPECT_EQ(u.shortening_reason, "Einwilligung der Betroffenen");
  EXPECT_EQ(field("verkürzung").get(u), "2024-05-01 Einwilligung der Betroffenen");

  Unit v;
  const auto msg = input_error([&] { field("shortening").set(v, "2024-05-01"); });
  EXPECT_TRUE(contains(msg, "shortening")) << msg;
  EXPECT_TRUE(contains(msg, "reason")) << msg;

  const auto bad_date = input_error([&] { field("shortening").set(v, "bald Forschung"); });
  EXPECT_TRUE(contains(bad_date, "shortening")) << bad_date;

  field("shortening").set(u, "");
  EXPECT_FALSE(u.shortened_to.has_value());
  EXPECT_EQ(u.shortening_reason, "");
}

// --- levels -----------------------------------------------------------------------------------

TEST(Levels, KeysGermanNamesAndSynonyms) {
  struct Case {
    const char* name;
    Level level;
  };
  const Case cases[] = {
      {"tektonik_group", Level::TektonikGroup},
      {"Tektonikgruppe", Level::TektonikGroup},
      {"Bestandsgruppe", Level::TektonikGroup},
      {"bestand", Level::Bestand},
      {"Bestand", Level::Bestand},
      {"fonds", Level::Bestand},
      {"collection", Level::Bestand},
      {"Teilbestand", Level::Teilbestand},
      {"sub-fonds", Level::Teilbestand},
      {"Gliederung", Level::Classification},
      {"Klassifikation", Level::Classification},
      {"classification", Level::Classification},
      {"Serie", Level::Series},
      {"series", Level::Series},
      {"Akte", Level::File},
      {"file", Level::File},
      {"Verzeichnungseinheit", Level::File},
      {"Einzelstück", Level::Item},
      {"einzelstueck", Level::Item},
      {"Dokument", Level::Item},
      {"item", Level::Item},
      {"  AKTE  ", Level::File},
  };
  for (const auto& c : cases) {
    const auto level = level_from_name(c.name);
    ASSERT_TRUE(level.has_value()) << c.name;
    EXPECT_EQ(*level, c.level) << c.name;
  }
  EXPECT_FALSE(level_from_name("Archiv").has_value());
  EXPECT_FALSE(level_from_name("").has_value());
  EXPECT_FALSE(level_from_name("otherlevel").has_value());
}

TEST(Levels, TableIsDataWithEadNames) {
  ASSERT_EQ(level_table().size(), 7u);
  EXPECT_EQ(level_info(Level::Bestand).ead_ddb, "collection");
  EXPECT_EQ(level_info(Level::Bestand).isad, "fonds");
  EXPECT_EQ(level_info(Level::File).german, "Akte");
  EXPECT_EQ(level_info(Level::Item).german, "Einzelstück");
  EXPECT_EQ(level_info(Level::Series).ead_ddb, "series");
  for (const auto& info : level_table()) {
    EXPECT_EQ(level_info(info.level).key, info.key);
    EXPECT_EQ(level_from_name(info.key), info.level) << info.key;
    EXPECT_EQ(level_from_name(info.german), info.level) << info.german;
    EXPECT_TRUE(contains(level_names_for_humans(), info.key));
  }
}

TEST(Levels, LevelFieldSetGetAndError) {
  Unit u;
  field("stufe").set(u, "Verzeichnungseinheit");
  EXPECT_EQ(u.level, Level::File);
  field("level").set(u, "Einzelstück");
  EXPECT_EQ(u.level, Level::Item);
  EXPECT_EQ(field("level").get(u), "item");
  const auto msg = input_error([&] { field("level").set(u, "Regal"); });
  EXPECT_TRUE(contains(msg, "level")) << msg;
  EXPECT_TRUE(contains(msg, "Regal")) << msg;
  EXPECT_TRUE(contains(msg, "bestand")) << msg;
  EXPECT_EQ(u.level, Level::Item);
}

TEST(Levels, StructuralLevels) {
  EXPECT_TRUE(is_structural_level(Level::TektonikGroup));
  EXPECT_TRUE(is_structural_level(Level::Bestand));
  EXPECT_TRUE(is_structural_level(Level::Teilbestand));
  EXPECT_TRUE(is_structural_level(Level::Classification));
  EXPECT_TRUE(is_structural_level(Level::Series));
  EXPECT_FALSE(is_structural_level(Level::File));
  EXPECT_FALSE(is_structural_level(Level::Item));
}

TEST(Levels, ContainmentRules) {
  using L = Level;
  // Tektonik groups nest and hold Bestände, nothing else.
  EXPECT_TRUE(level_may_contain(L::TektonikGroup, L::TektonikGroup));
  EXPECT_TRUE(level_may_contain(L::TektonikGroup, L::Bestand));
  EXPECT_FALSE(level_may_contain(L::TektonikGroup, L::File));
  EXPECT_FALSE(level_may_contain(L::TektonikGroup, L::Series));
  // A Bestand holds its inner order and records, never another Bestand or a group.
  EXPECT_TRUE(level_may_contain(L::Bestand, L::Teilbestand));
  EXPECT_TRUE(level_may_contain(L::Bestand, L::Classification));
  EXPECT_TRUE(level_may_contain(L::Bestand, L::Series));
  EXPECT_TRUE(level_may_contain(L::Bestand, L::File));
  EXPECT_TRUE(level_may_contain(L::Bestand, L::Item));
  EXPECT_FALSE(level_may_contain(L::Bestand, L::Bestand));
  EXPECT_FALSE(level_may_contain(L::Bestand, L::TektonikGroup));
  EXPECT_TRUE(level_may_contain(L::Teilbestand, L::Teilbestand));
  // Classification and series hold each other, files and items, but not a Teilbestand.
  EXPECT_TRUE(level_may_contain(L::Classification, L::Classification));
  EXPECT_TRUE(level_may_contain(L::Classification, L::Series));
  EXPECT_TRUE(level_may_contain(L::Series, L::File));
  EXPECT_FALSE(level_may_contain(L::Classification, L::Teilbestand));
  EXPECT_FALSE(level_may_contain(L::Series, L::Bestand));
  // Records: a file holds files (Vorgänge) and items; an item only items.
  EXPECT_TRUE(level_may_contain(L::File, L::File));
  EXPECT_TRUE(level_may_contain(L::File, L::Item));
  EXPECT_FALSE(level_may_contain(L::File, L::Series));
  EXPECT_FALSE(level_may_contain(L::File, L::Bestand));
  EXPECT_TRUE(level_may_contain(L::Item, L::Item));
  EXPECT_FALSE(level_may_contain(L::Item, L::File));
}

TEST(Levels, IndexKindKeys) {
  EXPECT_EQ(index_kind_key(IndexTerm::Kind::Person), "person");
  EXPECT_EQ(index_kind_key(IndexTerm::Kind::Place), "place");
  EXPECT_EQ(index_kind_key(IndexTerm::Kind::CorporateBody), "corporate_body");
  EXPECT_EQ(index_kind_key(IndexTerm::Kind::Subject), "subject");
}

TEST(Units, SameDescriptionIgnoresPlacementButNotFields) {
  Unit a;
  a.signatur = "A 1 Nr. 1";
  a.title = "Urkunde";
  Unit b = a;
  b.id = 7;
  b.parent_id = 3;
  b.position = 9;
  EXPECT_TRUE(a.same_description(b));
  b.embargo_until = Date{2030, 1, 1};
  EXPECT_FALSE(a.same_description(b));
  b = a;
  b.persons_concerned = {{"X", "", ""}};
  EXPECT_FALSE(a.same_description(b));
}

// The published CSV column schema and the field table are one list: a field added to one and
// not the other fails here.
TEST(Fields, CsvSchemaDocumentsExactlyTheFieldTable) {
  std::ifstream in(FINDBUCH_SOURCE_DIR "/schemas/csv-import.schema.json");
  ASSERT_TRUE(in) << "schemas/csv-import.schema.json missing";
  const auto schema = nlohmann::json::parse(in);
  std::set<std::string> documented;
  for (const auto& [key, value] : schema.at("properties").items()) documented.insert(key);
  const auto keys = field_keys();
  std::set<std::string> fields(keys.begin(), keys.end());
  fields.insert("parent");
  EXPECT_EQ(documented, fields);
  // Every level name the schema lists is one the importer accepts.
  for (const auto& name : schema.at("properties").at("level").at("enum"))
    EXPECT_TRUE(level_from_name(name.get<std::string>())) << name;
}

}  // namespace
}  // namespace findbuch
