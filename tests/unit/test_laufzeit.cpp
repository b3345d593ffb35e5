#include "core/laufzeit.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace findbuch {
namespace {

// Parses `text` and checks it yields [from, to] (ISO strings, "" = open) with `normal`.
::testing::AssertionResult reads_as(const std::string& text, const std::string& from,
                                    const std::string& to, const std::string& normal,
                                    bool approximate = false) {
  bool ok = false;
  const Laufzeit l = parse_laufzeit(text, &ok);
  const std::string got_from = l.from ? l.from->iso() : "";
  const std::string got_to = l.to ? l.to->iso() : "";
  if (ok && got_from == from && got_to == to && l.normal == normal &&
      l.approximate == approximate && !l.undated)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << text << "\" gave ok=" << ok << " " << got_from << ".." << got_to << " normal=\""
         << l.normal << "\" approximate=" << l.approximate << " undated=" << l.undated;
}

::testing::AssertionResult rejected(const std::string& text) {
  bool ok = true;
  const Laufzeit l = parse_laufzeit(text, &ok);
  if (!ok && !l.from && !l.to && l.normal.empty() && !l.undated && !l.approximate)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" was accepted (ok=" << ok << ")";
}

::testing::AssertionResult undated(const std::string& text) {
  bool ok = false;
  const Laufzeit l = parse_laufzeit(text, &ok);
  if (ok && l.undated && !l.from && !l.to && l.normal.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" is not read as undated";
}

TEST(Laufzeit, YearRanges) {
  for (const char* text :
       {"1890-1923", "1890–1923", "1890 — 1923", "1890 - 1923", "1890 bis 1923", "1890/1923"})
    EXPECT_TRUE(reads_as(text, "1890-01-01", "1923-12-31", "1890/1923"));
}

TEST(Laufzeit, SingleYear) {
  EXPECT_TRUE(reads_as("1901", "1901-01-01", "1901-12-31", "1901"));
  EXPECT_TRUE(reads_as("950", "0950-01-01", "0950-12-31", "0950"));
}

TEST(Laufzeit, ShortRightYear) {
  EXPECT_TRUE(reads_as("1914-18", "1914-01-01", "1918-12-31", "1914/1918"));
  EXPECT_TRUE(reads_as("1914/18", "1914-01-01", "1918-12-31", "1914/1918"));
  EXPECT_TRUE(reads_as("1901-02", "1901-01-01", "1902-12-31", "1901/1902"));
}

TEST(Laufzeit, IsoMonthWhenNotAShortRange) {
  // "1950-06" cannot mean 1950 to 1906, so it is June 1950.
  EXPECT_TRUE(reads_as("1950-06", "1950-06-01", "1950-06-30", "1950-06"));
}

TEST(Laufzeit, Circa) {
  for (const char* text : {"ca. 1900", "ca.1900", "um 1900", "circa 1900", "etwa 1900", "Ca. 1900"})
    EXPECT_TRUE(reads_as(text, "1895-01-01", "1905-12-31", "1895/1905", true));
}

TEST(Laufzeit, CircaRangeWidensBothEnds) {
  EXPECT_TRUE(reads_as("ca. 1890-1923", "1885-01-01", "1928-12-31", "1885/1928", true));
  EXPECT_TRUE(reads_as("1890 - ca. 1923", "1890-01-01", "1928-12-31", "1890/1928", true));
}

TEST(Laufzeit, Decades) {
  for (const char* text : {"1920er Jahre", "1920er", "1920er-Jahre"})
    EXPECT_TRUE(reads_as(text, "1920-01-01", "1929-12-31", "1920/1929", true));
  EXPECT_TRUE(reads_as("1920er-1930er Jahre", "1920-01-01", "1939-12-31", "1920/1939", true));
  EXPECT_TRUE(rejected("1925er"));
}

TEST(Laufzeit, Days) {
  EXPECT_TRUE(reads_as("12.03.1901", "1901-03-12", "1901-03-12", "1901-03-12"));
  EXPECT_TRUE(reads_as("1.3.1901", "1901-03-01", "1901-03-01", "1901-03-01"));
  EXPECT_TRUE(reads_as("1901-03-12", "1901-03-12", "1901-03-12", "1901-03-12"));
  EXPECT_TRUE(reads_as("29.02.1904", "1904-02-29", "1904-02-29", "1904-02-29"));
  EXPECT_TRUE(reads_as("12. März 1901", "1901-03-12", "1901-03-12", "1901-03-12"));
}

TEST(Laufzeit, NumericMonth) {
  EXPECT_TRUE(reads_as("03.1901", "1901-03-01", "1901-03-31", "1901-03"));
  EXPECT_TRUE(reads_as("2.1904", "1904-02-01", "1904-02-29", "1904-02"));
}

TEST(Laufzeit, MonthNames) {
  for (const char* text : {"März 1901", "Mrz. 1901", "Maerz 1901", "MÄRZ 1901", "Mär. 1901"})
    EXPECT_TRUE(reads_as(text, "1901-03-01", "1901-03-31", "1901-03")) << text;
  EXPECT_TRUE(reads_as("Jan. 1901", "1901-01-01", "1901-01-31", "1901-01"));
  EXPECT_TRUE(reads_as("Sept. 1901", "1901-09-01", "1901-09-30", "1901-09"));
  struct Case {
    const char* text;
    int month;
  };
  const Case cases[] = {
      {"Januar", 1},    {"Jänner", 1},   {"Februar", 2}, {"Feb.", 2},      {"Febr.", 2},
      {"April", 4},     {"Apr.", 4},     {"Mai", 5},     {"Juni", 6},      {"Jun.", 6},
      {"Juli", 7},      {"Jul.", 7},     {"August", 8},  {"Aug.", 8},      {"September", 9},
      {"Sep.", 9},      {"Oktober", 10}, {"Okt.", 10},   {"November", 11}, {"Nov.", 11},
      {"Dezember", 12}, {"Dez.", 12},
  };
  for (const Case& c : cases) {
    const Laufzeit l = parse_laufzeit(std::string(c.text) + " 1903");
    ASSERT_TRUE(l.from && l.to) << c.text;
    EXPECT_EQ(l.from->month, c.month) << c.text;
    EXPECT_EQ(l.from->day, 1) << c.text;
    EXPECT_EQ(l.to->month, c.month) << c.text;
    EXPECT_EQ(l.to->day, Date::days_in_month(1903, c.month)) << c.text;
  }
}

TEST(Laufzeit, InferredAndDoubtful) {
  EXPECT_TRUE(reads_as("[1901]", "1901-01-01", "1901-12-31", "1901", true));
  EXPECT_TRUE(reads_as("1901 (?)", "1901-01-01", "1901-12-31", "1901", true));
  EXPECT_TRUE(reads_as("1901?", "1901-01-01", "1901-12-31", "1901", true));
  EXPECT_TRUE(reads_as("[1890-1923]", "1890-01-01", "1923-12-31", "1890/1923", true));
  EXPECT_TRUE(reads_as("[1890]-1923", "1890-01-01", "1923-12-31", "1890/1923", true));
  EXPECT_TRUE(reads_as("[ca. 1900]", "1895-01-01", "1905-12-31", "1895/1905", true));
}

TEST(Laufzeit, Undated) {
  for (const char* text : {"o.D.", "o. D.", "O.D.", "ohne Datum", "undatiert", "s.d.", "[o.D.]",
                           "o.J.", "ohne Jahr", "  o.D.  "})
    EXPECT_TRUE(undated(text)) << text;
  EXPECT_EQ(parse_laufzeit(" o. D. ").text, "o. D.");
}

TEST(Laufzeit, UndatedButDatedByTheArchivist) {
  EXPECT_TRUE(reads_as("o.D. [um 1900]", "1895-01-01", "1905-12-31", "1895/1905", true));
}

TEST(Laufzeit, Lists) {
  EXPECT_TRUE(reads_as("1901, 1905-1907", "1901-01-01", "1907-12-31", "1901/1907"));
  EXPECT_TRUE(reads_as("1901; 1905-1907", "1901-01-01", "1907-12-31", "1901/1907"));
  EXPECT_TRUE(reads_as("1905-1907, 1901", "1901-01-01", "1907-12-31", "1901/1907"));
  EXPECT_TRUE(reads_as("1901 und 1905", "1901-01-01", "1905-12-31", "1901/1905"));
  EXPECT_TRUE(reads_as("1901, ca. 1910", "1901-01-01", "1915-12-31", "1901/1915", true));
  EXPECT_TRUE(reads_as("12.03.1901, 1905", "1901-03-12", "1905-12-31", "1901-03-12/1905"));
  EXPECT_TRUE(rejected("1901, irgendwann"));
  EXPECT_TRUE(rejected("1901,"));
}

TEST(Laufzeit, MixedPrecisionRanges) {
  EXPECT_TRUE(
      reads_as("12.03.1901-15.04.1902", "1901-03-12", "1902-04-15", "1901-03-12/1902-04-15"));
  EXPECT_TRUE(reads_as("März 1901 - Mai 1902", "1901-03-01", "1902-05-31", "1901-03/1902-05"));
  EXPECT_TRUE(reads_as("1901 - 12.03.1905", "1901-01-01", "1905-03-12", "1901/1905-03-12"));
  EXPECT_TRUE(reads_as("12.03.1901-1905", "1901-03-12", "1905-12-31", "1901-03-12/1905"));
  EXPECT_TRUE(reads_as("1901-03-12/1905", "1901-03-12", "1905-12-31", "1901-03-12/1905"));
  EXPECT_TRUE(
      reads_as("12. März 1901 bis Mai 1902", "1901-03-12", "1902-05-31", "1901-03-12/1902-05"));
}

TEST(Laufzeit, Centuries) {
  for (const char* text : {"19. Jh.", "19. Jahrhundert", "19. Jhdt.", "19.Jh."})
    EXPECT_TRUE(reads_as(text, "1800-01-01", "1899-12-31", "1800/1899", true)) << text;
  EXPECT_TRUE(reads_as("Anfang 19. Jh.", "1800-01-01", "1832-12-31", "1800/1832", true));
  EXPECT_TRUE(reads_as("Mitte 19. Jh.", "1833-01-01", "1866-12-31", "1833/1866", true));
  EXPECT_TRUE(reads_as("Ende 19. Jh.", "1867-01-01", "1899-12-31", "1867/1899", true));
  EXPECT_TRUE(reads_as("1. Hälfte 19. Jh.", "1800-01-01", "1849-12-31", "1800/1849", true));
  EXPECT_TRUE(reads_as("2. Hälfte 19. Jh.", "1850-01-01", "1899-12-31", "1850/1899", true));
  EXPECT_TRUE(
      reads_as("Mitte des 19. Jahrhunderts", "1833-01-01", "1866-12-31", "1833/1866", true));
  EXPECT_TRUE(
      reads_as("letztes Viertel des 19. Jh.", "1875-01-01", "1899-12-31", "1875/1899", true));
  EXPECT_TRUE(reads_as("18.-19. Jh.", "1700-01-01", "1899-12-31", "1700/1899", true));
  EXPECT_TRUE(reads_as("16. bis 18. Jahrhundert", "1500-01-01", "1799-12-31", "1500/1799", true));
  EXPECT_TRUE(reads_as("1. Jh.", "0001-01-01", "0099-12-31", "0001/0099", true));
  EXPECT_TRUE(rejected("3. Hälfte 19. Jh."));
  EXPECT_TRUE(rejected("0. Jh."));
}

TEST(Laufzeit, OpenIntervals) {
  EXPECT_TRUE(reads_as("vor 1900", "", "1899-12-31", ""));
  EXPECT_TRUE(reads_as("nach 1900", "1901-01-01", "", ""));
  EXPECT_TRUE(reads_as("vor 12.03.1901", "", "1901-03-11", ""));
  EXPECT_TRUE(reads_as("nach März 1901", "1901-04-01", "", ""));
  EXPECT_TRUE(reads_as("ab 1900", "1900-01-01", "", ""));
  EXPECT_TRUE(reads_as("bis 1900", "", "1900-12-31", ""));
  EXPECT_TRUE(reads_as("1900-", "1900-01-01", "", ""));
  EXPECT_TRUE(rejected("vor 0001"));
  EXPECT_TRUE(rejected("nach 9999"));
}

TEST(Laufzeit, InvalidDatesAreRejected) {
  for (const char* text : {"31.02.1901", "29.02.1900", "1901-13-01", "1901-02-30", "00.03.1901",
                           "13.1901", "31. April 1901", "0000", "1923-1890", "1918-14",
                           "15.04.1902-12.03.1901", "1905-03-12/1901"})
    EXPECT_TRUE(rejected(text)) << text;
}

TEST(Laufzeit, GarbageIsRejectedButKept) {
  for (const char* text : {"irgendwann", "1901 irgendwann", "Ende 1901", "Winter 1901/02", "12",
                           "19", "-", "[]", "[1901", "1901]", "1901--1905", "ca.", "um", "vor",
                           "1.2.3", "12.03.01", "19999", "1901 1905", "Nr. 1901"})
    EXPECT_TRUE(rejected(text)) << text;
  bool ok = true;
  const Laufzeit l = parse_laufzeit("  irgendwann \n", &ok);
  EXPECT_FALSE(ok);
  EXPECT_EQ(l.text, "irgendwann");
}

TEST(Laufzeit, CharterDatesYearFirst) {
  // Charter regests write the year first: "1808 Oktober 20" is 20 October 1808.
  EXPECT_TRUE(reads_as("1808 Oktober 20", "1808-10-20", "1808-10-20", "1808-10-20"));
  EXPECT_TRUE(reads_as("1471 März 15", "1471-03-15", "1471-03-15", "1471-03-15"));
  EXPECT_TRUE(reads_as("1412 März 3", "1412-03-03", "1412-03-03", "1412-03-03"));
  EXPECT_TRUE(reads_as("1609 Mai 16", "1609-05-16", "1609-05-16", "1609-05-16"));
  EXPECT_TRUE(reads_as("1778 Dezember 16", "1778-12-16", "1778-12-16", "1778-12-16"));
  EXPECT_TRUE(reads_as("1388 Januar 13", "1388-01-13", "1388-01-13", "1388-01-13"));
  EXPECT_TRUE(reads_as("950 Mai 1", "0950-05-01", "0950-05-01", "0950-05-01"));
}

TEST(Laufzeit, CharterDatesWithAbbreviatedMonths) {
  for (const char* text :
       {"1412 Mrz. 3", "1412 Mrz 3", "1412 Mär. 3", "1412 Maerz 3", "1412 MÄRZ 3"})
    EXPECT_TRUE(reads_as(text, "1412-03-03", "1412-03-03", "1412-03-03")) << text;
  for (const char* text : {"1609 Sept 16", "1609 Sept. 16", "1609 Sep. 16.", "1609 September 16"})
    EXPECT_TRUE(reads_as(text, "1609-09-16", "1609-09-16", "1609-09-16")) << text;
}

TEST(Laufzeit, CharterMonthYearFirst) {
  EXPECT_TRUE(reads_as("1350 Juni", "1350-06-01", "1350-06-30", "1350-06"));
  EXPECT_TRUE(reads_as("1412 Mrz.", "1412-03-01", "1412-03-31", "1412-03"));
  EXPECT_TRUE(reads_as("1904 Februar", "1904-02-01", "1904-02-29", "1904-02"));
}

TEST(Laufzeit, CharterRanges) {
  EXPECT_TRUE(
      reads_as("1412 März 3 - 1413 Mai 1", "1412-03-03", "1413-05-01", "1412-03-03/1413-05-01"));
  EXPECT_TRUE(
      reads_as("1412 März 3 bis 1413 Mai 1", "1412-03-03", "1413-05-01", "1412-03-03/1413-05-01"));
  EXPECT_TRUE(reads_as("1350 Juni - 1351 Mai", "1350-06-01", "1351-05-31", "1350-06/1351-05"));
  EXPECT_TRUE(reads_as("1412 März 3 - 1413", "1412-03-03", "1413-12-31", "1412-03-03/1413"));
  // The right side may leave out what it shares with the left one.
  for (const char* text : {"1412 März 3-5", "1412 März 3 - 5", "1412 März 3.-5.",
                           "1412 März 3 bis 5", "1412 März 3–5"})
    EXPECT_TRUE(reads_as(text, "1412-03-03", "1412-03-05", "1412-03-03/1412-03-05")) << text;
  EXPECT_TRUE(reads_as("1412 März 3 - Mai 1", "1412-03-03", "1412-05-01", "1412-03-03/1412-05-01"));
  EXPECT_TRUE(reads_as("1350 Juni - August", "1350-06-01", "1350-08-31", "1350-06/1350-08"));
  EXPECT_TRUE(
      reads_as("1412 März 3, 1413 Mai 1", "1412-03-03", "1413-05-01", "1412-03-03/1413-05-01"));
}

TEST(Laufzeit, CharterDatesQualified) {
  EXPECT_TRUE(reads_as("1412 März 3?", "1412-03-03", "1412-03-03", "1412-03-03", true));
  EXPECT_TRUE(reads_as("1412 März 3 (?)", "1412-03-03", "1412-03-03", "1412-03-03", true));
  EXPECT_TRUE(reads_as("[1412 März 3]", "1412-03-03", "1412-03-03", "1412-03-03", true));
  // "ca." widens years only; a day or month stays as written.
  EXPECT_TRUE(reads_as("ca. 1412 März", "1412-03-01", "1412-03-31", "1412-03", true));
  EXPECT_TRUE(reads_as("vor 1412 März 3", "", "1412-03-02", ""));
  EXPECT_TRUE(reads_as("nach 1412 März", "1412-04-01", "", ""));
}

TEST(Laufzeit, CharterDatesInvalidOrUnclear) {
  for (const char* text : {"1412 Februar 30", "1412 Juni 31", "1412 März 0", "1412 März 5-3",
                           "1412 März 3-32", "1412 Mai 3 - März 1", "1350 Juni-5", "12.03.1901-15",
                           "März 1412 - Mai", "1412 März 1413", "1412 März 3 4", "1412 Mai Juni",
                           "1412 März 123", "0 März 3", "10000 März 3", "0. März 1412"})
    EXPECT_TRUE(rejected(text)) << text;
}

TEST(Laufzeit, CopyRemarksAreIgnored) {
  EXPECT_TRUE(reads_as("1350 (Abschrift 16. Jh.)", "1350-01-01", "1350-12-31", "1350"));
  EXPECT_TRUE(reads_as("1350 (spätere Abschrift)", "1350-01-01", "1350-12-31", "1350"));
  EXPECT_TRUE(
      reads_as("1412 März 3 (beglaubigte Kopie)", "1412-03-03", "1412-03-03", "1412-03-03"));
  EXPECT_TRUE(reads_as("1412 März 3 (Vidimus 1500, Abschrift 18. Jh.)", "1412-03-03", "1412-03-03",
                       "1412-03-03"));
  EXPECT_TRUE(reads_as("1350 (Abschrift 16. Jh.), 1360", "1350-01-01", "1360-12-31", "1350/1360"));
  EXPECT_TRUE(reads_as("[1350] (Abschrift)", "1350-01-01", "1350-12-31", "1350", true));
  EXPECT_TRUE(undated("o.D. (Abschrift)"));
  // A parenthesis that is no remark on the tradition is not thrown away.
  for (const char* text : {"1350 (ca. 1400)", "(Abschrift)", "1350 (Abschrift", "1350 Abschrift)",
                           "1350 Abschrift", "1350 ()", "1350 (irgendwann)"})
    EXPECT_TRUE(rejected(text)) << text;
}

TEST(Laufzeit, AdditionsExtendTheRun) {
  EXPECT_TRUE(reads_as("1583-1593, Nachträge bis 1596", "1583-01-01", "1596-12-31", "1583/1596"));
  EXPECT_TRUE(reads_as("1816-1821, Nachträge bis 1825", "1816-01-01", "1825-12-31", "1816/1825"));
  EXPECT_TRUE(
      reads_as("1583-1593 mit Nachträgen bis 1596", "1583-01-01", "1596-12-31", "1583/1596"));
  EXPECT_TRUE(
      reads_as("1583-1593, mit Nachträgen bis 1596", "1583-01-01", "1596-12-31", "1583/1596"));
  EXPECT_TRUE(reads_as("1583-1593, Nachtr. bis 1596", "1583-01-01", "1596-12-31", "1583/1596"));
  EXPECT_TRUE(reads_as("1583-1593, Nachträge 1600-1610", "1583-01-01", "1610-12-31", "1583/1610"));
  EXPECT_TRUE(reads_as("1583-1593, Vorakten ab 1550", "1550-01-01", "1593-12-31", "1550/1593"));
  EXPECT_TRUE(reads_as("Nachträge bis 1596, 1583-1593", "1583-01-01", "1596-12-31", "1583/1596"));
  EXPECT_TRUE(reads_as("1583-1593, Nachträge bis 1612 Mai 3", "1583-01-01", "1612-05-03",
                       "1583/1612-05-03"));
  // Additions within the run change nothing; an open run stays open.
  EXPECT_TRUE(reads_as("1583-1593, Nachträge bis 1590", "1583-01-01", "1593-12-31", "1583/1593"));
  EXPECT_TRUE(reads_as("ab 1583, Nachträge bis 1596", "1583-01-01", "", ""));
  // Alone, the addition is all that is known.
  EXPECT_TRUE(reads_as("Nachträge bis 1596", "", "1596-12-31", ""));
  EXPECT_TRUE(
      reads_as("1583-1593, Nachträge bis ca. 1596", "1583-01-01", "1601-12-31", "1583/1601", true));
  for (const char* text : {"1583-1593, Nachträge", "1583-1593, Nachträge irgendwann", "Nachträge",
                           "1583-1593, Nachträge bis 1596,", "mit 1596"})
    EXPECT_TRUE(rejected(text)) << text;
}

TEST(Laufzeit, ReversedRangesAreRejectedInsideLists) {
  EXPECT_TRUE(rejected("1923-1890, 1950"));
  EXPECT_TRUE(rejected("1950, 1412 März 5-3"));
}

TEST(Laufzeit, TextIsTrimmedInput) {
  const Laufzeit l = parse_laufzeit("\t 1890 – 1923  \n");
  EXPECT_EQ(l.text, "1890 – 1923");
  EXPECT_EQ(l.normal, "1890/1923");
}

TEST(Laufzeit, EmptyInputIsEmpty) {
  bool ok = false;
  const Laufzeit l = parse_laufzeit("   ", &ok);
  EXPECT_TRUE(ok);
  EXPECT_TRUE(l.empty());
  EXPECT_FALSE(l.undated);
}

TEST(Laufzeit, OkPointerIsOptional) {
  EXPECT_EQ(parse_laufzeit("1901").normal, "1901");
  EXPECT_TRUE(parse_laufzeit("irgendwann").normal.empty());
}

TEST(Laufzeit, NeverCrashesOnArbitraryBytes) {
  // Mix random bytes with fragments of real expressions so the parser gets deep, too.
  const std::string pieces[] = {
      "1901", "-",      "–",        ".",         " ",         "[",    "]",    "(?)",         "ca.",
      "Jh.",  "19",     "März",     "er",        "Jahre",     "o.D.", ",",    "bis",         "vor",
      "1.",   "Hälfte", "\xE2\x80", "\xC3",      "?",         "/",    "0000", "99999999999", "(",
      ")",    "3",      "Mai",      "Abschrift", "Nachträge", "mit"};
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int parts = static_cast<int>(rng() % 12);
    for (int p = 0; p < parts; ++p) {
      if (rng() % 3 == 0)
        text += static_cast<char>(rng() & 0xFF);
      else
        text += pieces[rng() % std::size(pieces)];
    }
    bool ok = false;
    const Laufzeit l = parse_laufzeit(text, &ok);
    if (ok && l.from && l.to) {
      EXPECT_LE(*l.from, *l.to) << text;
      EXPECT_TRUE(Date::valid(l.from->year, l.from->month, l.from->day)) << text;
      EXPECT_TRUE(Date::valid(l.to->year, l.to->month, l.to->day)) << text;
    }
    if (!ok) {
      EXPECT_TRUE(!l.from && !l.to && !l.undated) << text;
    }
  }
}

TEST(LaufzeitFromNormal, Intervals) {
  const auto l = laufzeit_from_normal("1900/1905", "1900-1905");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->from, (Date{1900, 1, 1}));
  EXPECT_EQ(l->to, (Date{1905, 12, 31}));
  EXPECT_EQ(l->normal, "1900/1905");
  EXPECT_EQ(l->text, "1900-1905");
  EXPECT_FALSE(l->approximate);
  EXPECT_FALSE(l->undated);

  const auto days = laufzeit_from_normal("1900-01-01/1902-12-31", "1900-1902");
  ASSERT_TRUE(days);
  EXPECT_EQ(days->from, (Date{1900, 1, 1}));
  EXPECT_EQ(days->to, (Date{1902, 12, 31}));

  const auto months = laufzeit_from_normal("1900-01/1900-06", "Jan.-Juni 1900");
  ASSERT_TRUE(months);
  EXPECT_EQ(months->from, (Date{1900, 1, 1}));
  EXPECT_EQ(months->to, (Date{1900, 6, 30}));
  EXPECT_EQ(months->text, "Jan.-Juni 1900");
}

TEST(LaufzeitFromNormal, SingleDates) {
  const auto month = laufzeit_from_normal("1904-02", "Februar 1904");
  ASSERT_TRUE(month);
  EXPECT_EQ(month->from, (Date{1904, 2, 1}));
  EXPECT_EQ(month->to, (Date{1904, 2, 29}));
  EXPECT_EQ(month->normal, "1904-02");

  const auto year = laufzeit_from_normal("1901", "1901");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->from, (Date{1901, 1, 1}));
  EXPECT_EQ(year->to, (Date{1901, 12, 31}));

  const auto day = laufzeit_from_normal("1901-03-12", "12.03.1901");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->from, (Date{1901, 3, 12}));
  EXPECT_EQ(day->to, (Date{1901, 3, 12}));
}

TEST(LaufzeitFromNormal, ApproximateFollowsTheText) {
  const auto l = laufzeit_from_normal("1895/1905", "ca. 1900");
  ASSERT_TRUE(l);
  EXPECT_TRUE(l->approximate);
}

TEST(LaufzeitFromNormal, UnusableNormals) {
  for (const char* normal : {"0000/0000", "0000", "", "abc", "1905/1900", "1901-13", "1901-02-30",
                             "1901/", "/1901", "1900/1901/1902", "19000", "1901-3", "1901-03-1"})
    EXPECT_FALSE(laufzeit_from_normal(normal, "x")) << normal;
}

}  // namespace
}  // namespace findbuch
