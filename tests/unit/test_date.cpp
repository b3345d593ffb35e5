#include "core/date.hpp"

#include <gtest/gtest.h>

namespace findbuch {
namespace {

TEST(Date, LeapYears) {
  EXPECT_TRUE(Date::is_leap(2000));
  EXPECT_TRUE(Date::is_leap(1904));
  EXPECT_FALSE(Date::is_leap(1900));
  EXPECT_FALSE(Date::is_leap(1901));
  EXPECT_FALSE(Date::is_leap(2100));
}

TEST(Date, DaysInMonth) {
  EXPECT_EQ(Date::days_in_month(1901, 1), 31);
  EXPECT_EQ(Date::days_in_month(1901, 2), 28);
  EXPECT_EQ(Date::days_in_month(1904, 2), 29);
  EXPECT_EQ(Date::days_in_month(1900, 2), 28);
  EXPECT_EQ(Date::days_in_month(1901, 4), 30);
  EXPECT_EQ(Date::days_in_month(1901, 12), 31);
  EXPECT_EQ(Date::days_in_month(1901, 0), 0);
  EXPECT_EQ(Date::days_in_month(1901, 13), 0);
}

TEST(Date, Valid) {
  EXPECT_TRUE(Date::valid(1901, 3, 12));
  EXPECT_TRUE(Date::valid(2000, 2, 29));
  EXPECT_TRUE(Date::valid(1, 1, 1));
  EXPECT_TRUE(Date::valid(9999, 12, 31));
  EXPECT_FALSE(Date::valid(1901, 2, 29));
  EXPECT_FALSE(Date::valid(1901, 2, 31));
  EXPECT_FALSE(Date::valid(1901, 13, 1));
  EXPECT_FALSE(Date::valid(1901, 0, 1));
  EXPECT_FALSE(Date::valid(1901, 4, 31));
  EXPECT_FALSE(Date::valid(1901, 1, 0));
  EXPECT_FALSE(Date::valid(0, 1, 1));
  EXPECT_FALSE(Date::valid(10000, 1, 1));
}

TEST(Date, IsoIsZeroPadded) {
  EXPECT_EQ((Date{1901, 3, 2}).iso(), "1901-03-02");
  EXPECT_EQ((Date{950, 12, 31}).iso(), "0950-12-31");
  EXPECT_EQ((Date{1, 1, 1}).iso(), "0001-01-01");
}

TEST(Date, Ordering) {
  EXPECT_LT((Date{1901, 3, 12}), (Date{1901, 3, 13}));
  EXPECT_LT((Date{1901, 3, 31}), (Date{1901, 4, 1}));
  EXPECT_LT((Date{1900, 12, 31}), (Date{1901, 1, 1}));
  EXPECT_EQ((Date{1901, 3, 12}), (Date{1901, 3, 12}));
}

TEST(Date, PlusYears) {
  EXPECT_EQ((Date{1990, 5, 17}).plus_years(30), (Date{2020, 5, 17}));
  EXPECT_EQ((Date{2000, 2, 29}).plus_years(1), (Date{2001, 2, 28}));
  EXPECT_EQ((Date{2000, 2, 29}).plus_years(4), (Date{2004, 2, 29}));
  EXPECT_EQ((Date{2000, 2, 29}).plus_years(100), (Date{2100, 2, 28}));
  EXPECT_EQ((Date{1950, 6, 1}).plus_years(-10), (Date{1940, 6, 1}));
  EXPECT_EQ((Date{1950, 6, 1}).plus_years(0), (Date{1950, 6, 1}));
}

TEST(Date, PlusYearsSaturatesAtTheEndsOfTheCalendar) {
  EXPECT_EQ((Date{9990, 6, 1}).plus_years(100), (Date{9999, 12, 31}));
  EXPECT_EQ((Date{2000, 1, 1}).plus_years(2147483647), (Date{9999, 12, 31}));
  EXPECT_EQ((Date{20, 6, 1}).plus_years(-100), (Date{1, 1, 1}));
}

TEST(Date, NextDay) {
  EXPECT_EQ((Date{1901, 3, 12}).next_day(), (Date{1901, 3, 13}));
  EXPECT_EQ((Date{1901, 3, 31}).next_day(), (Date{1901, 4, 1}));
  EXPECT_EQ((Date{1901, 4, 30}).next_day(), (Date{1901, 5, 1}));
  EXPECT_EQ((Date{1901, 2, 28}).next_day(), (Date{1901, 3, 1}));
  EXPECT_EQ((Date{1904, 2, 28}).next_day(), (Date{1904, 2, 29}));
  EXPECT_EQ((Date{1904, 2, 29}).next_day(), (Date{1904, 3, 1}));
  EXPECT_EQ((Date{1900, 12, 31}).next_day(), (Date{1901, 1, 1}));
}

TEST(Date, ParseIso) {
  EXPECT_EQ(Date::parse_iso("1901-03-12"), (Date{1901, 3, 12}));
  EXPECT_EQ(Date::parse_iso("2000-02-29"), (Date{2000, 2, 29}));
  EXPECT_EQ(Date::parse_iso("0001-01-01"), (Date{1, 1, 1}));
}

TEST(Date, ParseIsoIsStrict) {
  EXPECT_FALSE(Date::parse_iso(""));
  EXPECT_FALSE(Date::parse_iso("1901"));
  EXPECT_FALSE(Date::parse_iso("1901-03"));
  EXPECT_FALSE(Date::parse_iso("1901-3-12"));
  EXPECT_FALSE(Date::parse_iso("1901-03-12 "));
  EXPECT_FALSE(Date::parse_iso(" 1901-03-12"));
  EXPECT_FALSE(Date::parse_iso("1901/03/12"));
  EXPECT_FALSE(Date::parse_iso("12.03.1901"));
  EXPECT_FALSE(Date::parse_iso("1901-02-29"));
  EXPECT_FALSE(Date::parse_iso("1901-13-01"));
  EXPECT_FALSE(Date::parse_iso("0000-01-01"));
  EXPECT_FALSE(Date::parse_iso("19O1-03-12"));
  EXPECT_FALSE(Date::parse_iso("+901-03-12"));
}

TEST(Date, ParseLenientWidensPartialDates) {
  EXPECT_EQ(Date::parse_lenient("1901", false), (Date{1901, 1, 1}));
  EXPECT_EQ(Date::parse_lenient("1901", true), (Date{1901, 12, 31}));
  EXPECT_EQ(Date::parse_lenient("1904-02", false), (Date{1904, 2, 1}));
  EXPECT_EQ(Date::parse_lenient("1904-02", true), (Date{1904, 2, 29}));
  EXPECT_EQ(Date::parse_lenient("1901-04", true), (Date{1901, 4, 30}));
  EXPECT_EQ(Date::parse_lenient("1901-03-12", true), (Date{1901, 3, 12}));
  EXPECT_EQ(Date::parse_lenient("1901-03-12", false), (Date{1901, 3, 12}));
}

TEST(Date, ParseLenientGermanDayMonthYear) {
  EXPECT_EQ(Date::parse_lenient("12.03.1901", false), (Date{1901, 3, 12}));
  EXPECT_EQ(Date::parse_lenient("1.3.1901", true), (Date{1901, 3, 1}));
  EXPECT_EQ(Date::parse_lenient("  12.03.1901 ", true), (Date{1901, 3, 12}));
}

TEST(Date, ParseLenientRejectsWhatItCannotRead) {
  EXPECT_FALSE(Date::parse_lenient("", true));
  EXPECT_FALSE(Date::parse_lenient("unbekannt", true));
  EXPECT_FALSE(Date::parse_lenient("0000", true));
  EXPECT_FALSE(Date::parse_lenient("1901-13", true));
  EXPECT_FALSE(Date::parse_lenient("1901-00", false));
  EXPECT_FALSE(Date::parse_lenient("31.02.1901", false));
  EXPECT_FALSE(Date::parse_lenient("12.03.01", false));
  EXPECT_FALSE(Date::parse_lenient("123.03.1901", false));
  EXPECT_FALSE(Date::parse_lenient("12..1901", false));
  EXPECT_FALSE(Date::parse_lenient("12.03.19011", false));
  EXPECT_FALSE(Date::parse_lenient("190", false));
}

TEST(Clock, FixedClockReturnsItsDate) {
  const FixedClock clock(Date{2024, 6, 30});
  const Clock& c = clock;
  EXPECT_EQ(c.today(), (Date{2024, 6, 30}));
}

TEST(Clock, SystemClockGivesAPlausibleValidDay) {
  const Date today = SystemClock().today();
  EXPECT_TRUE(Date::valid(today.year, today.month, today.day));
  EXPECT_GE(today.year, 2024);
}

}  // namespace
}  // namespace findbuch
