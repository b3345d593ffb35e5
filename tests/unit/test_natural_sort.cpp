#include "core/natural_sort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace findbuch {
namespace {

TEST(NaturalSort, NumbersCompareByValue) {
  EXPECT_TRUE(natural_less("Nr. 9", "Nr. 10"));
  EXPECT_FALSE(natural_less("Nr. 10", "Nr. 9"));
  EXPECT_TRUE(natural_less("Nr. 99", "Nr. 100"));
  EXPECT_TRUE(natural_less("Nr. 1234", "Nr. 12345"));
  EXPECT_TRUE(natural_less("Nr. 0", "Nr. 1"));
}

TEST(NaturalSort, Signaturen) {
  EXPECT_TRUE(natural_less("C 5.9", "C 5.63"));
  EXPECT_TRUE(natural_less("C 5.63 Nr. 2", "C 5.63 Nr. 10"));
  EXPECT_TRUE(natural_less("C 5", "C 5.63"));
  EXPECT_TRUE(natural_less("A 1", "B 1"));
  EXPECT_TRUE(natural_less("A 2", "A 10"));
  EXPECT_TRUE(natural_less("C 5.63 Nr. 1234", "C 5.64 Nr. 1"));
}

TEST(NaturalSort, LeadingZerosDoNotChangeTheNumber) {
  EXPECT_TRUE(natural_less("E 2 Nr. 00815", "E 2 Nr. 816"));
  EXPECT_FALSE(natural_less("E 2 Nr. 816", "E 2 Nr. 00815"));
  EXPECT_TRUE(natural_less("E 2 Nr. 814", "E 2 Nr. 00815"));
  EXPECT_TRUE(natural_less("E 2 Nr. 009", "E 2 Nr. 10"));
  // Same value: the variant without padding first, but never mixed with other numbers.
  EXPECT_TRUE(natural_less("E 2 Nr. 815", "E 2 Nr. 00815"));
  EXPECT_TRUE(natural_less("E 2 Nr. 00815", "E 2 Nr. 815a"));
}

TEST(NaturalSort, CaseAndUmlautsAreFolded) {
  EXPECT_EQ(natural_sort_key("Nr. 5"), natural_sort_key("NR. 5"));
  EXPECT_EQ(natural_sort_key("Ämter"), natural_sort_key("amter"));
  EXPECT_EQ(natural_sort_key("Öl"), natural_sort_key("ol"));
  EXPECT_EQ(natural_sort_key("Über"), natural_sort_key("uber"));
  EXPECT_EQ(natural_sort_key("Straße"), natural_sort_key("strasse"));
  EXPECT_TRUE(natural_less("Ämter", "Bauamt"));
  EXPECT_TRUE(natural_less("Zoo", "zoologie"));
  EXPECT_TRUE(natural_less("Müller", "Mz"));
}

TEST(NaturalSort, WhitespaceRunsCollapse) {
  EXPECT_EQ(natural_sort_key("C  5.63\tNr.\n10"), natural_sort_key("C 5.63 Nr. 10"));
  EXPECT_EQ(natural_sort_key("  A 1  "), natural_sort_key("A 1"));
}

TEST(NaturalSort, KeyIsReadableAndHasNoNul) {
  EXPECT_EQ(natural_sort_key("Nr. 9"), "nr. 019");
  EXPECT_EQ(natural_sort_key("Nr. 10"), "nr. 0210");
  const std::string key =
      natural_sort_key(std::string("A\0"
                                   "1",
                                   3));
  EXPECT_EQ(key.find('\0'), std::string::npos);
}

TEST(NaturalSort, VeryLongDigitRunsStillOrderByValue) {
  const std::string nine(100, '9');
  const std::string one_and_zeros = "1" + std::string(100, '0');
  const std::string longer = "1" + std::string(200, '0');
  EXPECT_TRUE(natural_less(nine, one_and_zeros));
  EXPECT_TRUE(natural_less(one_and_zeros, longer));
  EXPECT_TRUE(natural_less("12", nine));
  EXPECT_TRUE(natural_less(std::string(80, '0') + "5", "6"));
}

TEST(NaturalSort, SortingAShuffledListGivesNaturalOrder) {
  const std::vector<std::string> expected = {
      "A 1 Nr. 1",   "A 1 Nr. 2",     "A 1 Nr. 10",   "A 1 Nr. 100",   "B 1",
      "B 2",         "B 10",          "C 2 Nr. 5",    "C 5 Nr. 3",     "C 5.9 Nr. 1",
      "C 5.10",      "C 5.63 Nr. 2",  "C 5.63 Nr. 9", "C 5.63 Nr. 10", "C 5.63 Nr. 1234",
      "E 2 Nr. 814", "E 2 Nr. 00815", "E 2 Nr. 816",  "E 10 Nr. 1",
  };
  std::vector<std::string> shuffled = expected;
  std::mt19937 rng(4711);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    std::vector<std::string> by_less = shuffled;
    std::sort(by_less.begin(), by_less.end(),
              [](const std::string& a, const std::string& b) { return natural_less(a, b); });
    EXPECT_EQ(by_less, expected);
    // The stored key sorts the same way byte-wise, as SQL ORDER BY would.
    std::vector<std::string> by_key = shuffled;
    std::sort(by_key.begin(), by_key.end(), [](const std::string& a, const std::string& b) {
      return natural_sort_key(a) < natural_sort_key(b);
    });
    EXPECT_EQ(by_key, expected);
  }
}

TEST(NaturalSort, ArbitraryBytesDoNotCrash) {
  std::mt19937 rng(1);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 40, '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xFF);
    const std::string key = natural_sort_key(s);
    EXPECT_EQ(key.find('\0'), std::string::npos);
    EXPECT_FALSE(natural_less(s, s));
  }
}

}  // namespace
}  // namespace findbuch
