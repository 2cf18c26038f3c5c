#include "services/domain/cpr.h"

#include <gtest/gtest.h>

#include "tests/support/cpr_spellings.h"
#include "tests/support/dates.h"

namespace placement::domain {
namespace {

using placement::testing::d;

TEST(Cpr, SeventhDigitFourWithYearUpTo36IsTwoThousands) {
  const auto cpr = parse_cpr("0101004000");
  ASSERT_TRUE(cpr);
  EXPECT_EQ(cpr.value().birth_date, d("2000-01-01"));
  EXPECT_EQ(cpr.value().digits, "0101004000");
}

TEST(Cpr, SeventhDigitFourWithYearAbove36IsNineteenHundreds) {
  EXPECT_EQ(parse_cpr("0101374000").value().birth_date, d("1937-01-01"));
  EXPECT_EQ(parse_cpr("0101369000").value().birth_date, d("2036-01-01"));
  EXPECT_EQ(parse_cpr("0101379000").value().birth_date, d("1937-01-01"));
}

TEST(Cpr, SeventhDigitZeroToThreeIsAlwaysNineteenHundreds) {
  EXPECT_EQ(parse_cpr("1503000123").value().birth_date, d("1900-03-15"));
  EXPECT_EQ(parse_cpr("1503993999").value().birth_date, d("1999-03-15"));
}

TEST(Cpr, SeventhDigitFiveToEightSwitchesAtFiftySeven) {
  EXPECT_EQ(parse_cpr("0101575000").value().birth_date, d("2057-01-01"));
  EXPECT_EQ(parse_cpr("0101585000").value().birth_date, d("1858-01-01"));
  EXPECT_EQ(parse_cpr("3112998999").value().birth_date, d("1899-12-31"));
  EXPECT_EQ(parse_cpr("0101106000").value().birth_date, d("2010-01-01"));
}

TEST(Cpr, CenturyRuleTable) {
  EXPECT_EQ(cpr_birth_year(36, 4), 2036);
  EXPECT_EQ(cpr_birth_year(37, 9), 1937);
  EXPECT_EQ(cpr_birth_year(0, 3), 1900);
  EXPECT_EQ(cpr_birth_year(57, 8), 2057);
  EXPECT_EQ(cpr_birth_year(58, 5), 1858);
}

TEST(Cpr, DashAfterSixthDigitIsAccepted) {
  const auto cpr = parse_cpr("010100-4000");
  ASSERT_TRUE(cpr);
  EXPECT_EQ(cpr.value().digits, "0101004000");
}

TEST(Cpr, ModulusElevenIsNotChecked) {
  // 0101004001 fails the old modulus-11 check; numbers issued since 2007 may do so.
  EXPECT_TRUE(parse_cpr("0101004001"));
}

TEST(Cpr, ImpossibleDateIsRefused) {
  EXPECT_FALSE(parse_cpr("3002001234"));
  EXPECT_FALSE(parse_cpr("2902001000"));  // 1900 was not a leap year
  EXPECT_TRUE(parse_cpr("2902004000"));   // 2000 was
  EXPECT_FALSE(parse_cpr("0013001234"));
  EXPECT_FALSE(parse_cpr("0001001234"));
}

TEST(Cpr, AnythingButDigitsAndOneDashIsRefused) {
  for (const char* text : {"010100400", "01010040000", "0101-004000", "010100 4000", "010100--4000", "01010O4000",
                           " 0101004000", "", "010100+4000"}) {
    const auto cpr = parse_cpr(text);
    ASSERT_FALSE(cpr) << text;
    EXPECT_EQ(cpr.error().code, Errc::invalid_argument);
  }
}

TEST(Cpr, ErrorMessagesNeverContainTheDigits) {
  for (const char* text : {"3002001234", "3002001234x", "300200-12a4"}) {
    const auto cpr = parse_cpr(text);
    ASSERT_FALSE(cpr);
    EXPECT_EQ(cpr.error().message.find("300200"), std::string::npos) << cpr.error().message;
    EXPECT_EQ(cpr.error().message.find("1234"), std::string::npos) << cpr.error().message;
  }
  EXPECT_EQ(parse_cpr("12").error().message, "CPR number must be 10 digits (DDMMYY-SSSS)");
}

TEST(HoldsCprNumber, FindsOneNumberInEverySpelling) {
  for (const auto& text : placement::testing::cpr_spellings()) EXPECT_TRUE(holds_cpr_number(text)) << text;
}

TEST(HoldsCprNumber, FindsTheDigitsOfAnyScriptAndSeparatorsOfAnyKind) {
  EXPECT_TRUE(holds_cpr_number("\U0001d7ce\U0001d7cf\U0001d7ce\U0001d7cf\U0001d7d7\U0001d7ce1234"));  // math bold
  EXPECT_TRUE(holds_cpr_number("\u06f0\u06f1\u06f0\u06f1\u06f9\u06f0\u06f1\u06f2\u06f3\u06f4"));      // Persian
  EXPECT_TRUE(holds_cpr_number("\u2070\u00b9\u2070\u00b9\u2079\u20701234"));                          // superscript
  EXPECT_TRUE(holds_cpr_number("010190\u2015 1234"));        // horizontal bar and a space
  EXPECT_TRUE(holds_cpr_number("010190\ufe631234"));         // small hyphen-minus
  EXPECT_TRUE(holds_cpr_number("010190\u00ad1234"));         // soft hyphen
  EXPECT_TRUE(holds_cpr_number("0\u202f1\u30000190_1234"));  // narrow no-break and ideographic spaces
  EXPECT_TRUE(holds_cpr_number("x\t010190\n1234"));
}

TEST(HoldsCprNumber, NeedsTenDigitsThatStartWithABirthDate) {
  for (const char* text : {"", "p-a", "case 2041-17", "retention expired (case 2041-17)", "2023-10-01",
                           "010190123",    // nine digits
                           "0101901a234",  // a letter breaks the run
                           "3201901234",   // day 32
                           "0113901234",   // month 13
                           "0001901234",   // day 0
                           "2902001234",   // 29 February 1900: not a leap year
                           "SEL \u00a7 108"}) {
    EXPECT_FALSE(holds_cpr_number(text)) << text;
  }
  EXPECT_TRUE(holds_cpr_number("2902004234"));  // 29 February 2000 (7th digit 4, year 00)
  EXPECT_TRUE(
      holds_cpr_number("\xff\xfe"
                       "0101901234"));  // malformed UTF-8 before the digits
  EXPECT_FALSE(
      holds_cpr_number("0101\xff"
                       "901234"));  // a malformed byte breaks the run
}

TEST(Age, CountsWholeYears) {
  EXPECT_EQ(age_on(d("2006-05-10"), d("2024-05-09")), 17);
  EXPECT_EQ(age_on(d("2006-05-10"), d("2024-05-10")), 18);
  EXPECT_EQ(age_on(d("2006-05-10"), d("2006-05-10")), 0);
}

TEST(Age, LeapDayBirthdayCountsOnFirstMarchInCommonYears) {
  EXPECT_EQ(age_on(d("2004-02-29"), d("2022-02-28")), 17);
  EXPECT_EQ(age_on(d("2004-02-29"), d("2022-03-01")), 18);
  EXPECT_EQ(age_on(d("2004-02-29"), d("2024-02-29")), 20);
}

}  // namespace
}  // namespace placement::domain
