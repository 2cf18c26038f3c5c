// `placectl demo` against a fresh placementd: it loads DOMAIN.md's special places as they stood on
// 15 October 2018 (the table's open / in use / vacant per region), and a second run writes nothing.

#include <regex>

#include <gtest/gtest.h>

#include "tests/integration/placectl/placectl_fixture.h"

namespace placement {
namespace {

using testing::contains;
using testing::described;
using testing::json_field;
using testing::lines_of;
using testing::PlacectlServer;
using testing::ProgramResult;
using testing::run_placectl;

// Anything shaped like a CPR number (DDMMYY-SSSS or ten digits in a row).
void expect_nothing_like_a_cpr(const ProgramResult& result) {
  static const std::regex cpr_like("[0-9]{6}-?[0-9]{4}");
  EXPECT_FALSE(std::regex_search(result.out, cpr_like)) << described(result);
  EXPECT_FALSE(std::regex_search(result.err, cpr_like)) << described(result);
}

struct Expected {
  const char* offer_id;
  int open;
  int occupied;
  int vacant;
};

// DOMAIN.md, special psychiatric places on 15 October 2018.
constexpr Expected kTable[] = {
    {"demo-sp-hovedstaden", 32, 12, 20}, {"demo-sp-sjaelland", 7, 7, 0},   {"demo-sp-syddanmark", 15, 8, 7},
    {"demo-sp-midtjylland", 21, 9, 12},  {"demo-sp-nordjylland", 8, 4, 4},
};

TEST(PlacectlDemo, HelpShowsAnExample) {
  auto help = run_placectl({"demo", "--help"});
  EXPECT_EQ(help.exit_code, 0) << described(help);
  EXPECT_TRUE(contains(help.out, "usage: placectl demo")) << help.out;
  EXPECT_TRUE(contains(help.out, "example")) << help.out;
  auto overview = run_placectl({"--help"});
  EXPECT_TRUE(contains(overview.out, "demo")) << overview.out;
}

TEST(PlacectlDemo, LoadsTheSpecialPlacesTableAndASecondRunWritesNothing) {
  PlacectlServer server;
  ASSERT_TRUE(server.start()) << server.process().error();

  auto first = server.admin({"demo"});
  ASSERT_EQ(first.exit_code, 0) << described(first);
  EXPECT_TRUE(contains(first.out, "Loaded the demo scenario")) << first.out;
  EXPECT_TRUE(contains(first.out, "Next, try")) << first.out;
  EXPECT_TRUE(contains(first.out, "demo-sp-hovedstaden")) << first.out;
  expect_nothing_like_a_cpr(first);

  for (const auto& row : kTable) {
    auto counts = server.run("planner", {"capacity-of", row.offer_id, "--at", "2018-10-15", "--json"});
    ASSERT_EQ(counts.exit_code, 0) << described(counts);
    EXPECT_EQ(json_field(counts.out, "open"), std::to_string(row.open)) << row.offer_id << "\n" << counts.out;
    EXPECT_EQ(json_field(counts.out, "occupied"), std::to_string(row.occupied)) << row.offer_id << "\n" << counts.out;
    EXPECT_EQ(json_field(counts.out, "reserved"), "0") << row.offer_id << "\n" << counts.out;
    EXPECT_EQ(json_field(counts.out, "vacant"), std::to_string(row.vacant)) << row.offer_id << "\n" << counts.out;
  }
  // 83 open, 40 in use, 43 vacant in all.
  int open = 0, occupied = 0, vacant = 0;
  auto listed = server.run("planner", {"offers", "list", "--level", "HOJT", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << described(listed);
  EXPECT_EQ(lines_of(listed.out).size(), 5u) << listed.out;
  for (const auto& row : kTable) {
    open += row.open;
    occupied += row.occupied;
    vacant += row.vacant;
  }
  EXPECT_EQ(open, 83);
  EXPECT_EQ(occupied, 40);
  EXPECT_EQ(vacant, 43);

  // The rate: 1.9 million kr a year per place, budget year 2018 at 100 % occupancy.
  auto shown = server.admin({"offers", "show", "demo-sp-syddanmark", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << described(shown);
  EXPECT_TRUE(contains(shown.out, "\"daily_ore\":520548")) << shown.out;
  EXPECT_TRUE(contains(shown.out, "\"model\":\"OBJEKTIV\"")) << shown.out;
  EXPECT_TRUE(contains(shown.out, "\"catchment\":\"1083\"")) << shown.out;

  // The ordinary offers: a full children's institution with one citizen waiting, and the transfer.
  auto full = server.admin({"capacity-of", "demo-kastanjehuset", "--at", "2018-10-15", "--json"});
  ASSERT_EQ(full.exit_code, 0) << described(full);
  EXPECT_EQ(json_field(full.out, "open"), "4") << full.out;
  EXPECT_EQ(json_field(full.out, "occupied"), "4") << full.out;
  EXPECT_EQ(json_field(full.out, "waiting"), "1") << full.out;
  auto moved = server.caseworker({"placement", "demo-sol-03", "--json"}, 101);
  ASSERT_EQ(moved.exit_code, 0) << described(moved);
  EXPECT_EQ(json_field(moved.out, "offer_id"), "demo-egebakken") << moved.out;
  EXPECT_EQ(json_field(moved.out, "status"), "ADMITTED") << moved.out;
  // Discharged on 30 June: occupied up to and including 29 June (half-open).
  auto discharged = server.caseworker({"placement", "demo-sol-01", "--json"}, 101);
  EXPECT_EQ(json_field(discharged.out, "status"), "DISCHARGED") << discharged.out;
  EXPECT_EQ(json_field(discharged.out, "discharged_on"), "2018-06-30") << discharged.out;

  auto head = server.auditor({"audit", "head", "--json"});
  ASSERT_EQ(head.exit_code, 0) << described(head);
  const std::string position = json_field(head.out, "position");
  const std::string hash = json_field(head.out, "hash");
  ASSERT_FALSE(position.empty()) << head.out;

  // Again: every command is answered as a duplicate, and the log does not move.
  auto second = server.admin({"demo"});
  ASSERT_EQ(second.exit_code, 0) << described(second);
  EXPECT_TRUE(contains(second.out, "already loaded")) << second.out;
  EXPECT_TRUE(contains(second.out, "nothing written")) << second.out;
  auto third = server.admin({"demo", "--json"});
  ASSERT_EQ(third.exit_code, 0) << described(third);
  EXPECT_EQ(json_field(third.out, "written"), "0") << third.out;
  EXPECT_NE(json_field(third.out, "already_loaded"), "0") << third.out;
  auto head_after = server.auditor({"audit", "head", "--json"});
  ASSERT_EQ(head_after.exit_code, 0) << described(head_after);
  EXPECT_EQ(json_field(head_after.out, "position"), position) << head_after.out;
  EXPECT_EQ(json_field(head_after.out, "hash"), hash) << head_after.out;

  auto verify = server.auditor({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << described(verify);
  EXPECT_EQ(server.process().stop(), 0);
}

}  // namespace
}  // namespace placement
