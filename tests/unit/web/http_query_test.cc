// services/web/http_query: targets, dates, positions and groupings from a URL.

#include "services/web/http_query.h"

#include <gtest/gtest.h>

namespace placement::web {
namespace {

TEST(HttpQuery, SplitsPathAndDecodesParameters) {
  auto target = parse_target("/api/capacity?date=2018-10-15&by=region%2Clevel&name=a+b&empty");
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target.value().path, "/api/capacity");
  EXPECT_EQ(target.value().get("date"), "2018-10-15");
  EXPECT_EQ(target.value().get("by"), "region,level");
  EXPECT_EQ(target.value().get("name"), "a b");
  EXPECT_EQ(target.value().get("empty"), "");
  EXPECT_EQ(target.value().get("absent"), "");
}

TEST(HttpQuery, RefusesABrokenPercentEscape) {
  EXPECT_FALSE(parse_target("/api/x?a=%2"));
  EXPECT_FALSE(parse_target("/api/x?a=%zz"));
  EXPECT_FALSE(parse_target("/api/x%"));
}

TEST(HttpQuery, DatesMustExist) {
  auto good = parse_target("/x?d=2020-02-29&bad=2019-02-29&worse=15-10-2018").value();
  auto date = date_param(good, "d");
  ASSERT_TRUE(date);
  EXPECT_EQ(date.value().year(), 2020);
  EXPECT_EQ(date.value().month(), 2u);
  EXPECT_EQ(date.value().day(), 29u);
  EXPECT_EQ(date_param(good, "bad").error().code, Errc::invalid_argument);
  EXPECT_FALSE(date_param(good, "worse"));
  auto missing = date_param(good, "none");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("none: missing"), std::string::npos);
}

TEST(HttpQuery, PositionsAreNonNegativeIntegers) {
  auto target = parse_target("/x?n=42&neg=-1&junk=4x").value();
  EXPECT_EQ(unsigned_param(target, "n").value(), 42u);
  EXPECT_EQ(unsigned_param(target, "absent", 7).value(), 7u);
  EXPECT_FALSE(unsigned_param(target, "neg"));
  EXPECT_FALSE(unsigned_param(target, "junk"));
}

TEST(HttpQuery, GroupingNamesMapToGroupFields) {
  auto target = parse_target("/x?by=offer,operator,region,target_group,level&bad=region,county&none=").value();
  auto fields = group_by_param(target, "by");
  ASSERT_TRUE(fields);
  ASSERT_EQ(fields.value().size(), 5);
  EXPECT_EQ(fields.value()[0], v1::GROUP_FIELD_OFFER);
  EXPECT_EQ(fields.value()[1], v1::GROUP_FIELD_OPERATOR);
  EXPECT_EQ(fields.value()[2], v1::GROUP_FIELD_REGION);
  EXPECT_EQ(fields.value()[3], v1::GROUP_FIELD_TARGET_GROUP);
  EXPECT_EQ(fields.value()[4], v1::GROUP_FIELD_LEVEL);
  EXPECT_FALSE(group_by_param(target, "bad"));
  EXPECT_EQ(group_by_param(target, "none").value().size(), 0);
}

}  // namespace
}  // namespace placement::web
