#include "core/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace findbuch {
namespace {

using Pieces = std::vector<std::string>;

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("Akten 1901"));
  EXPECT_TRUE(is_valid_utf8("Bürgerbücher, Straße"));
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));          // €
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x93\x9C"));      // U+1F4DC
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF, the last code point
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));          // U+D7FF, just below surrogates
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));          // U+E000, just above surrogates
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));  // NUL is a valid character
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(is_valid_utf8("\xFC"));  // Latin-1 ü
  EXPECT_FALSE(is_valid_utf8("B\xFCrger"));
  EXPECT_FALSE(is_valid_utf8("\x80"));          // lone continuation byte
  EXPECT_FALSE(is_valid_utf8("\xC3"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));      // truncated
  EXPECT_FALSE(is_valid_utf8("\xC3\x28"));      // bad continuation
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x93"));  // truncated 4-byte
  EXPECT_FALSE(is_valid_utf8("\xFE"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Utf8, RejectsOverlongsSurrogatesAndOutOfRange) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong 3-byte
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // overlong 3-byte, top
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong 4-byte
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong 4-byte, top
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
}

TEST(Cp1252, AsciiAndLatin1) {
  EXPECT_EQ(cp1252_to_utf8("Akte 12"), "Akte 12");
  EXPECT_EQ(cp1252_to_utf8("B\xFCrger"), "Bürger");
  EXPECT_EQ(cp1252_to_utf8("Stra\xDF"
                           "e"),
            "Straße");
  EXPECT_EQ(cp1252_to_utf8("\xC4\xD6\xDC\xE4\xF6\xFC"), "ÄÖÜäöü");
  EXPECT_EQ(cp1252_to_utf8("\xA0"), "\xC2\xA0");
  EXPECT_EQ(cp1252_to_utf8("\xFF"), "ÿ");
  EXPECT_EQ(cp1252_to_utf8(std::string("\0", 1)), std::string("\0", 1));
}

TEST(Cp1252, WindowsOnlyCharacters) {
  EXPECT_EQ(cp1252_to_utf8("\x80"), "€");
  EXPECT_EQ(cp1252_to_utf8("\x84"
                           "Akten"
                           "\x93"),
            "„Akten“");
  EXPECT_EQ(cp1252_to_utf8("1890\x96"
                           "1923"),
            "1890–1923");
  EXPECT_EQ(cp1252_to_utf8("\x97"), "—");
  EXPECT_EQ(cp1252_to_utf8("\x85"), "…");
  EXPECT_EQ(cp1252_to_utf8("\x8A\x9A\x8E\x9E\x9F"), "ŠšŽžŸ");
  EXPECT_EQ(cp1252_to_utf8("\x99"), "™");
  EXPECT_EQ(cp1252_to_utf8("\x83\x88\x98"), "ƒˆ˜");
}

TEST(Cp1252, UndefinedBytesBecomeReplacementCharacter) {
  for (const char b : {'\x81', '\x8D', '\x8F', '\x90', '\x9D'})
    EXPECT_EQ(cp1252_to_utf8(std::string(1, b)), "\xEF\xBF\xBD") << static_cast<int>(b & 0xFF);
}

TEST(Cp1252, EveryByteGivesValidUtf8) {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  const std::string out = cp1252_to_utf8(all);
  EXPECT_TRUE(is_valid_utf8(out));
  EXPECT_GT(out.size(), all.size());
}

TEST(Text, Trim) {
  EXPECT_EQ(trim("  Akte \t\r\n"), "Akte");
  EXPECT_EQ(trim("Akte"), "Akte");
  EXPECT_EQ(trim(" a  b "), "a  b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\n"), "");
}

TEST(Text, NormalizeSpace) {
  EXPECT_EQ(normalize_space("  Akten  der\n\tStadt  "), "Akten der Stadt");
  EXPECT_EQ(normalize_space("a\r\nb"), "a b");
  EXPECT_EQ(normalize_space("a"), "a");
  EXPECT_EQ(normalize_space(""), "");
  EXPECT_EQ(normalize_space(" \n "), "");
}

TEST(Text, SplitList) {
  EXPECT_EQ(split_list("Hilden; Benrath ;;  Haan ", ';'), (Pieces{"Hilden", "Benrath", "Haan"}));
  EXPECT_EQ(split_list("a,b,c", ','), (Pieces{"a", "b", "c"}));
  EXPECT_EQ(split_list("a", ','), (Pieces{"a"}));
  EXPECT_EQ(split_list("", ','), Pieces{});
  EXPECT_EQ(split_list(" , ,", ','), Pieces{});
  EXPECT_EQ(split_list(",a,", ','), (Pieces{"a"}));
  EXPECT_EQ(split_list("a b|c", '|'), (Pieces{"a b", "c"}));
}

TEST(Text, AsciiLower) {
  EXPECT_EQ(ascii_lower("Serie FILE Item"), "serie file item");
  EXPECT_EQ(ascii_lower("ÄÖÜ"), "ÄÖÜ");  // not ASCII: untouched bytes
  EXPECT_EQ(ascii_lower("[A-Z@]"), "[a-z@]");
}

TEST(Text, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0);
  EXPECT_EQ(edit_distance("abc", ""), 3);
  EXPECT_EQ(edit_distance("", "abc"), 3);
  EXPECT_EQ(edit_distance("import", "import"), 0);
  EXPECT_EQ(edit_distance("import", "imprt"), 1);    // deletion
  EXPECT_EQ(edit_distance("export", "exports"), 1);  // insertion
  EXPECT_EQ(edit_distance("serie", "serje"), 1);     // substitution
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3);
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2);
}

TEST(Text, EditDistanceCountsTranspositionAsOne) {
  EXPECT_EQ(edit_distance("ab", "ba"), 1);
  EXPECT_EQ(edit_distance("imoprt", "import"), 1);
  // Optimal string alignment does not edit a transposed pair again (true Damerau gives 2).
  EXPECT_EQ(edit_distance("ca", "abc"), 3);
}

TEST(Text, EditDistanceIsSymmetric) {
  const char* words[] = {"bestand", "bstand", "tektonik", "tektoink", "", "serie", "series"};
  for (const char* a : words)
    for (const char* b : words) EXPECT_EQ(edit_distance(a, b), edit_distance(b, a)) << a << b;
}

TEST(Text, UrlSlugKeepsLettersAndDigitsAndJoinsTheRestWithOneHyphen) {
  EXPECT_EQ(url_slug("D 1.3 Nr. 30"), "D-1-3-Nr-30");
  EXPECT_EQ(url_slug("C 5.63 Nr. 1"), "C-5-63-Nr-1");
  EXPECT_EQ(url_slug("A 12/3-4 (alt: 17)"), "A-12-3-4-alt-17");
  EXPECT_EQ(url_slug("  ./A 1/. "), "A-1") << "no hyphen at either end";
  EXPECT_EQ(url_slug("Best. 400"), "Best-400") << "case is kept";
}

TEST(Text, UrlSlugTransliteratesGermanAndDropsOtherAccents) {
  EXPECT_EQ(url_slug("Bürgermeisteramt Straßenbau"), "Buergermeisteramt-Strassenbau");
  EXPECT_EQ(url_slug("Äcker Öfen Übel äöü"), "Aecker-Oefen-Uebel-aeoeue");
  EXPECT_EQ(url_slug("Café Señor Ça Ère Île"), "Cafe-Senor-Ca-Ere-Ile");
}

TEST(Text, UrlSlugIsNeverEmptyAndOnlyUrlSafe) {
  EXPECT_EQ(url_slug(""), "x");
  EXPECT_EQ(url_slug("-"), "x");
  EXPECT_EQ(url_slug("§ / ."), "x");
  EXPECT_EQ(url_slug("\xE2\x82\xAC"), "x");  // € is no letter
  for (const char* text : {"Rep. 2 § 4", "\xC3", "a\xC3", "\xC3\xC3\xA4", "Nr.\x80\xFF 7",
                           "Łódź 1945", "日本 3", "a--b", "../../etc/passwd"}) {
    const std::string slug = url_slug(text);
    SCOPED_TRACE(text);
    EXPECT_FALSE(slug.empty());
    EXPECT_EQ(slug.find("--"), std::string::npos) << slug;
    EXPECT_NE(slug.front(), '-') << slug;
    EXPECT_NE(slug.back(), '-') << slug;
    for (const char c : slug)
      EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-')
          << slug;
  }
  EXPECT_EQ(url_slug("../../etc/passwd"), "etc-passwd");
  EXPECT_EQ(url_slug("\xC3\xC3\xA4"), "ae") << "a stray lead byte does not swallow the letter";
}

}  // namespace
}  // namespace findbuch
