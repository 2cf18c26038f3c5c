#include "services/ledger/reference_data.h"

#include <gtest/gtest.h>

#include "services/domain/apply.h"
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
  EXPECT_EQ(events.value().size(), testing::kReferenceDataEvents);
}

TEST(ReferenceData, TheBuiltInMergerIsRegionOstdanmarkFrom2027AndMovesTheirMunicipalities) {
  auto mergers = parse_region_mergers(builtin_region_mergers_csv());
  ASSERT_TRUE(mergers) << mergers.error().message;
  ASSERT_EQ(mergers.value().size(), 1u);
  const domain::MergeRegions& merger = mergers.value().front();
  EXPECT_EQ(merger.code, 1086);
  EXPECT_EQ(merger.name, "Østdanmark");
  EXPECT_EQ(merger.from, domain::parse_date("2027-01-01").value());
  EXPECT_EQ(merger.merged, (std::vector<std::int32_t>{1084, 1085}));

  domain::State state;
  auto data = parse_reference_data(builtin_municipalities_csv());
  ASSERT_TRUE(data);
  auto loaded = domain::decide(state, as_command(std::move(data).value()));
  ASSERT_TRUE(loaded);
  for (const auto& event : loaded.value()) domain::apply(state, event);
  auto merged = domain::decide(
      state, domain::Command{domain::Actor{"placementd", domain::Role::admin, 0}, "merger", {}, {}, merger});
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged.value().size(), testing::kRegionMergerEvents);
  // The same merger names the same command, so it is written once.
  EXPECT_EQ(region_merger_command_id(merger), region_merger_command_id(mergers.value().front()));
  EXPECT_NE(region_merger_command_id(merger), reference_data_command_id(builtin_municipalities_csv()));
}

TEST(ReferenceData, AMalformedMergerLineIsRefusedNamingTheLine) {
  for (const char* csv : {"nothing,here\n", "from,region_code,name,merged_region_codes\n2027-13-01,1086,X,1084 1085\n",
                          "from,region_code,name,merged_region_codes\n2027-01-01,x,X,1084 1085\n",
                          "from,region_code,name,merged_region_codes\n2027-01-01,1086,X\n",
                          "from,region_code,name,merged_region_codes\n2027-01-01,1086,X,1084 y\n"}) {
    auto mergers = parse_region_mergers(csv);
    ASSERT_FALSE(mergers) << csv;
    EXPECT_EQ(mergers.error().code, Errc::invalid_argument);
    EXPECT_NE(mergers.error().message.find("line"), std::string::npos) << mergers.error().message;
  }
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
