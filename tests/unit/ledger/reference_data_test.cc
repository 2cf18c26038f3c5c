#include "services/ledger/reference_data.h"

#include <gtest/gtest.h>

#include "services/domain/decide.h"
#include "tests/support/reference_events.h"

namespace placement::ledger {
namespace {

domain::Command as_command(domain::LoadReferenceData data) {
  return domain::Command{domain::Actor{"placementd", domain::Role::admin, 0}, "reference", {}, {}, std::move(data)};
}

TEST(ReferenceData, TheBuiltInCsvIsTheFiveRegionsAndTheNinetyEightMunicipalities) {
  auto data = parse_reference_data(builtin_municipalities_csv());
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data.value().regions.size(), 5u);
  ASSERT_EQ(data.value().municipalities.size(), 98u);
  const auto& first = data.value().municipalities.front();
  EXPECT_EQ(first.code, 101);
  EXPECT_EQ(first.name, "København");
  EXPECT_EQ(first.region_code, 1084);
  auto events = domain::decide(domain::State{}, as_command(std::move(data).value()));
  ASSERT_TRUE(events) << events.error().message;
  EXPECT_EQ(events.value().size(), testing::kReferenceEvents);
}

TEST(ReferenceData, ASharePercentageIsReadToTheHundredthWithoutFloatingPoint) {
  auto data = parse_reference_data("municipality_code,name,region_code,share,weight\n101,København,1084,8.5,1924641\n");
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data.value().municipalities.front().objective_key_share_bp, 850u);
  EXPECT_EQ(data.value().municipalities.front().objective_weight, 1924641);
}

TEST(ReferenceData, MalformedLinesAreRefusedNamingTheLine) {
  for (const char* csv : {"code,name\n101,København,1084,8.5,1\n",                                  // header
                          "municipality_code,name,region_code,share,weight\n101,København,1084\n",  // fields
                          "municipality_code,name,region_code,share,weight\nx,København,1084,8.5,1\n",
                          "municipality_code,name,region_code,share,weight\n101,København,1084,8.555,1\n"}) {
    auto data = parse_reference_data(csv);
    ASSERT_FALSE(data) << csv;
    EXPECT_EQ(data.error().code, Errc::invalid_argument);
    EXPECT_NE(data.error().message.find("line"), std::string::npos) << data.error().message;
  }
}

TEST(ReferenceData, WhatTheNumbersMeanIsTheDomainsToRefuse) {
  auto data = parse_reference_data(
      "municipality_code,name,region_code,share,weight\n101,København,1084,8.5,1\n101,Igen,1084,1,1\n");
  ASSERT_TRUE(data) << "a duplicate parses";
  auto events = domain::decide(domain::State{}, as_command(std::move(data).value()));
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, Errc::invalid_argument) << events.error().message;
}

TEST(ReferenceData, TheCommandIdFollowsTheContent) {
  EXPECT_EQ(reference_data_command_id("a"), reference_data_command_id("a"));
  EXPECT_NE(reference_data_command_id("a"), reference_data_command_id("b"));
  EXPECT_TRUE(reference_data_command_id("a").starts_with("reference-data/"));
}

}  // namespace
}  // namespace placement::ledger
