// The planner, planning-admin and replay commands of placectl against the real placementd: offers
// and placements are booked through placectl itself, then every view shows the values they imply.

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

// The one line of JSON Lines output whose `key` is `value`; empty when none.
std::string line_where(const ProgramResult& result, const std::string& key, const std::string& value) {
  for (const auto& line : lines_of(result.out))
    if (json_field(line, key) == value) return line;
  return "";
}

class PlacectlPlanningTest : public ::testing::Test {
 protected:
  // Offers: "pl-hov" (Region Syddanmark 1083, 10 places, 2 500 kr a day), "pl-nord" (Region
  // Nordjylland 1081, 4 places, 1 000 kr a day), "pl-wait" (1083, no places: a waiting list).
  // Placements: pl-1 admitted to pl-hov on 2031-02-03 (paid by 101), pl-2 reserved at pl-hov from
  // 2031-02-01 (101), pl-3 admitted to pl-nord on 2031-02-01 (851), pl-4 waiting for pl-wait (101).
  static void SetUpTestSuite() {
    server_ = new PlacectlServer();
    if (!server_->start()) {
      ADD_FAILURE() << server_->process().error();
      return;
    }
    offer("pl-hov", "1083", 10, "250000");
    offer("pl-nord", "1081", 4, "100000");
    offer("pl-wait", "1083", 0, "");
    before_placements_ = head();
    book("pl-1", "010190-1234", "101", "pl-hov", {});
    step("101", {"reserve", "pl-1", "--from", "2031-02-01"});
    step("101", {"admit", "pl-1", "--on", "2031-02-03"});
    book("pl-2", "020285-2345", "101", "pl-hov", {});
    step("101", {"reserve", "pl-2", "--from", "2031-02-01"});
    book("pl-3", "030370-3456", "851", "pl-nord", {});
    step("851", {"reserve", "pl-3", "--from", "2031-02-01"});
    step("851", {"admit", "pl-3", "--on", "2031-02-01"});
    book("pl-4", "040475-4567", "101", "pl-wait", {"--wait"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->process().running()) << server_->process().error(); }

  static const PlacectlServer& server() { return *server_; }
  static ProgramResult planner(std::vector<std::string> args) { return server().run("planner", std::move(args)); }

  static void offer(const std::string& id, const std::string& region, int places, const std::string& daily_ore) {
    // Each offer's own operator: the region that runs it.
    const auto operator_code = static_cast<std::uint32_t>(std::stoul(region));
    auto registered = server().offer_operator(
        {"offers",      "register",  "--id",        id,         "--name",  "Tilbud " + id,   "--operator",
         region,        "--level",   "MODERAT",     "--groups", "1,3",     "--service-type", "DOGN",
         "--paragraph", "SEL § 108", "--catchment", region,     "--model", "TAKST"},
        operator_code);
    ASSERT_EQ(registered.exit_code, 0) << described(registered);
    if (places > 0) {
      auto capacity = server().offer_operator(
          {"offers", "capacity", id, "--from", "2031-01-01", "--places", std::to_string(places)}, operator_code);
      ASSERT_EQ(capacity.exit_code, 0) << described(capacity);
    }
    if (!daily_ore.empty()) {
      auto rate = server().offer_operator({"offers", "rate", id, "--from", "2031-01-01", "--daily-ore", daily_ore},
                                          operator_code);
      ASSERT_EQ(rate.exit_code, 0) << described(rate);
    }
  }

  static void book(const std::string& id, const std::string& cpr, const std::string& municipality,
                   const std::string& offer_id, std::vector<std::string> extra) {
    std::vector<std::string> args = {"request", "--cpr",   cpr,          "--municipality", municipality,
                                     "--offer", offer_id,  "--level",    "MODERAT",        "--group",
                                     "1",       "--start", "2031-02-01", "--placement-id", id};
    args.insert(args.end(), extra.begin(), extra.end());
    auto requested = server().caseworker(args, static_cast<std::uint32_t>(std::stoul(municipality)));
    ASSERT_EQ(requested.exit_code, 0) << described(requested);
  }

  static void step(const std::string& municipality, std::vector<std::string> args) {
    auto result = server().caseworker(args, static_cast<std::uint32_t>(std::stoul(municipality)));
    ASSERT_EQ(result.exit_code, 0) << described(result);
  }

  static std::string head() {
    auto result = server().auditor({"audit", "head", "--json"});
    EXPECT_EQ(result.exit_code, 0) << described(result);
    return json_field(result.out, "position");
  }

  static PlacectlServer* server_;
  static std::string before_placements_;
};

PlacectlServer* PlacectlPlanningTest::server_ = nullptr;
std::string PlacectlPlanningTest::before_placements_;

TEST(PlacectlPlanningUsage, EveryCommandsHelpShowsAnExample) {
  auto overview = run_placectl({"--help"});
  ASSERT_EQ(overview.exit_code, 0) << described(overview);
  EXPECT_TRUE(contains(overview.out, "planner:")) << overview.out;
  const std::vector<std::vector<std::string>> commands = {
      {"capacity"},        {"occupancy"},          {"waiting"},           {"financing"},
      {"what-if"},         {"settlement"},         {"planning", "grant"}, {"planning", "tiers"},
      {"planning", "key"}, {"planning", "income"}, {"audit", "replay"}};
  for (auto command : commands) {
    const std::string name = command.size() == 1 ? command[0] : command[0] + " " + command[1];
    EXPECT_TRUE(contains(overview.out, name)) << name;
    command.push_back("--help");
    auto help = run_placectl(command);
    EXPECT_EQ(help.exit_code, 0) << name << "\n" << described(help);
    EXPECT_TRUE(contains(help.out, "usage: placectl " + name)) << help.out;
    EXPECT_TRUE(contains(help.out, "example")) << help.out;
    EXPECT_TRUE(contains(help.out, "placectl --as ")) << help.out;
  }
}

TEST(PlacectlPlanningUsage, BadUsageExitsTwoWithoutCallingAServer) {
  const std::vector<std::vector<std::string>> bad = {
      {"--as", "planner", "capacity"},                                          // no --at
      {"--as", "planner", "capacity", "--at", "2031-03-01", "--by", "colour"},  // unknown grouping
      {"--as", "planner", "capacity", "--at", "2031-03-01", "--by", "region,region"},
      {"--as", "planner", "capacity", "--at", "2031-03-01", "--as-of", "0"},
      {"--as", "planner", "occupancy", "--from", "2031-03-01"},  // no --to
      {"--as", "planner", "financing", "--from", "2031-03-01", "--to", "2031-04-01", "--by", "operator"},
      {"--as", "planner", "what-if", "--from", "2031-03-01", "--to", "2031-04-01", "--offer", "x"},  // no terms
      {"--as", "planner", "what-if", "--from", "2031-03-01", "--to", "2031-04-01", "--offer", "x",
       "--objective-share-bp", "5000"},  // share without model
      {"--as", "planner", "settlement", "--month", "2031-3"},
      {"--as", "planner", "settlement", "--month", "2031-13"},
      {"--as", "admin", "planning", "tiers", "--year", "2031", "--tier", "5"},
      {"--as", "admin", "planning", "key", "--weight", "101"},
      {"--as", "admin", "planning", "grant", "--region", "1083", "--year", "2031"},  // no --ore
      {"--as", "admin", "planning", "income", "--month", "2031-03", "--user-payments-ore", "1", "--other-refunds-ore",
       "0"},  // no placement
      {"--as", "auditor", "audit", "replay", "--to-position", "0", "--at", "2031-03-01"},
      {"--as", "auditor", "audit", "replay", "--to-position", "5"},  // no --at
  };
  for (auto args : bad) {
    std::string shown;
    for (const auto& arg : args) shown += arg + " ";
    args.insert(args.begin(), {"--server", "127.0.0.1:1"});
    auto result = run_placectl(args);
    EXPECT_EQ(result.exit_code, 2) << shown << "\n" << described(result);
    EXPECT_TRUE(result.out.empty()) << shown << "\n" << described(result);
  }
}

TEST_F(PlacectlPlanningTest, CapacityByRegionShowsOpenOccupiedReservedVacantAndWaiting) {
  auto result = planner({"capacity", "--at", "2031-03-01", "--by", "region", "--json"});
  ASSERT_EQ(result.exit_code, 0) << described(result);
  const auto syddanmark = line_where(result, "region", "1083");
  EXPECT_EQ(json_field(syddanmark, "open"), "10") << result.out;
  EXPECT_EQ(json_field(syddanmark, "occupied"), "1") << result.out;
  EXPECT_EQ(json_field(syddanmark, "reserved"), "1") << result.out;
  EXPECT_EQ(json_field(syddanmark, "vacant"), "8") << result.out;
  EXPECT_EQ(json_field(syddanmark, "waiting"), "1") << result.out;
  const auto nordjylland = line_where(result, "region", "1081");
  EXPECT_EQ(json_field(nordjylland, "open"), "4") << result.out;
  EXPECT_EQ(json_field(nordjylland, "occupied"), "1") << result.out;
  EXPECT_EQ(json_field(nordjylland, "vacant"), "3") << result.out;
  // The last line is the total, its key null.
  const auto lines = lines_of(result.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(json_field(lines.back(), "region"), "null") << result.out;
  EXPECT_EQ(json_field(lines.back(), "open"), "14") << result.out;
  EXPECT_EQ(json_field(lines.back(), "vacant"), "11") << result.out;

  auto table = planner({"capacity", "--at", "2031-03-01", "--by", "region,offer"});
  ASSERT_EQ(table.exit_code, 0) << described(table);
  EXPECT_TRUE(contains(table.out, "\nREGION ")) << table.out;
  // A table names the region next to its code (JSON and CSV keep the code).
  EXPECT_TRUE(contains(table.out, "\n1083 Syddanmark ")) << table.out;
  EXPECT_TRUE(contains(table.out, "\n1081 Nordjylland ")) << table.out;
  EXPECT_TRUE(contains(table.out, "pl-hov")) << table.out;
  EXPECT_TRUE(contains(table.out, "\ntotal ")) << table.out;

  auto csv = planner({"capacity", "--at", "2031-03-01", "--by", "level", "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << described(csv);
  EXPECT_EQ(lines_of(csv.out).at(0), "level,offers,open,occupied,reserved,vacant,waiting");
  EXPECT_TRUE(contains(csv.out, "MODERAT,3,14,2,1,11,1")) << csv.out;

  // Caseworkers may read capacity too.
  auto caseworker = server().caseworker({"capacity", "--at", "2031-03-01"});
  EXPECT_EQ(caseworker.exit_code, 0) << described(caseworker);
}

TEST_F(PlacectlPlanningTest, OccupancyCountsPlaceDaysAndShowsAPercentage) {
  auto result = planner({"occupancy", "--from", "2031-03-01", "--to", "2031-04-01", "--by", "offer", "--json"});
  ASSERT_EQ(result.exit_code, 0) << described(result);
  const auto hov = line_where(result, "offer_id", "pl-hov");
  EXPECT_EQ(json_field(hov, "open_place_days"), "310") << result.out;
  EXPECT_EQ(json_field(hov, "occupied_place_days"), "31") << result.out;
  EXPECT_EQ(json_field(hov, "reserved_place_days"), "31") << result.out;
  EXPECT_EQ(json_field(hov, "occupancy_bp"), "1000") << result.out;
  const auto nord = line_where(result, "offer_id", "pl-nord");
  EXPECT_EQ(json_field(nord, "occupancy_bp"), "2500") << result.out;

  auto table = planner({"occupancy", "--from", "2031-03-01", "--to", "2031-04-01", "--by", "region"});
  ASSERT_EQ(table.exit_code, 0) << described(table);
  EXPECT_TRUE(contains(table.out, "25.00 %")) << table.out;
  EXPECT_TRUE(contains(table.out, "10.00 %")) << table.out;
}

TEST_F(PlacectlPlanningTest, WaitingListsShowTheLengthPerOffer) {
  auto result = planner({"waiting", "--at", "2031-03-01", "--json"});
  ASSERT_EQ(result.exit_code, 0) << described(result);
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 1u) << result.out;
  EXPECT_EQ(json_field(lines[0], "offer_id"), "pl-wait");
  EXPECT_EQ(json_field(lines[0], "length"), "1");
  EXPECT_EQ(json_field(lines[0], "region"), "1083");

  auto today = planner({"waiting"});
  ASSERT_EQ(today.exit_code, 0) << described(today);
  EXPECT_TRUE(contains(today.out, "pl-wait")) << today.out;
}

TEST_F(PlacectlPlanningTest, FinancingShowsKronerInTablesAndOreInJsonAndCsv) {
  auto result = planner({"financing", "--from", "2031-03-01", "--to", "2031-04-01", "--json"});
  ASSERT_EQ(result.exit_code, 0) << described(result);
  const auto copenhagen = line_where(result, "municipality", "101");
  EXPECT_EQ(json_field(copenhagen, "occupied_place_days"), "31") << result.out;
  EXPECT_EQ(json_field(copenhagen, "usage_payments_ore"), "7750000") << result.out;  // 31 × 250 000 øre
  const auto aalborg = line_where(result, "municipality", "851");
  EXPECT_EQ(json_field(aalborg, "usage_payments_ore"), "3100000") << result.out;

  auto table = planner({"financing", "--from", "2031-03-01", "--to", "2031-04-01"});
  ASSERT_EQ(table.exit_code, 0) << described(table);
  EXPECT_TRUE(contains(table.out, "USAGE_PAYMENTS_KR")) << table.out;
  EXPECT_TRUE(contains(table.out, "77 500.00")) << table.out;

  auto offers = planner({"financing", "--from", "2031-03-01", "--to", "2031-04-01", "--by", "offer", "--csv"});
  ASSERT_EQ(offers.exit_code, 0) << described(offers);
  EXPECT_TRUE(contains(lines_of(offers.out).at(0), "offer_id,operator,region,model,")) << offers.out;
  EXPECT_TRUE(contains(offers.out, "total_cost_ore")) << offers.out;
  EXPECT_TRUE(contains(offers.out, "pl-hov,1083,1083,TAKST,310,31,0,7750000")) << offers.out;

  auto totals = planner({"financing", "--from", "2031-03-01", "--to", "2031-04-01", "--by", "total", "--json"});
  ASSERT_EQ(totals.exit_code, 0) << described(totals);
  EXPECT_EQ(json_field(totals.out, "usage_paid_ore"), "10850000") << totals.out;

  // Planners, auditors and admins read financing; caseworkers may not.
  auto auditor = server().auditor({"financing", "--from", "2031-03-01", "--to", "2031-04-01"});
  EXPECT_EQ(auditor.exit_code, 0) << described(auditor);
  auto caseworker = server().caseworker({"financing", "--from", "2031-03-01", "--to", "2031-04-01"});
  EXPECT_EQ(caseworker.exit_code, 1) << described(caseworker);
  EXPECT_TRUE(contains(caseworker.err, "PERMISSION_DENIED")) << described(caseworker);
  EXPECT_TRUE(caseworker.out.empty()) << described(caseworker);
}

TEST_F(PlacectlPlanningTest, WhatIfComputesOtherTermsAndWritesNothing) {
  const std::string before = head();
  auto result = planner({"what-if", "--from", "2031-03-01", "--to", "2031-04-01", "--offer", "pl-hov", "--daily-ore",
                         "300000", "--json"});
  ASSERT_EQ(result.exit_code, 0) << described(result);
  EXPECT_EQ(json_field(line_where(result, "municipality", "101"), "usage_payments_ore"), "9300000") << result.out;
  auto model = planner({"what-if", "--from", "2031-03-01", "--to", "2031-04-01", "--offer", "pl-hov", "--model",
                        "OBJEKTIV", "--by", "offer"});
  ASSERT_EQ(model.exit_code, 0) << described(model);
  EXPECT_TRUE(contains(model.out, "what-if (nothing was written)")) << model.out;
  EXPECT_TRUE(contains(model.out, "OBJEKTIV")) << model.out;
  EXPECT_EQ(head(), before) << "what-if wrote to the log";
  // The real financing is unchanged.
  auto real = planner({"financing", "--from", "2031-03-01", "--to", "2031-04-01", "--json"});
  EXPECT_EQ(json_field(line_where(real, "municipality", "101"), "usage_payments_ore"), "7750000") << real.out;

  auto unknown =
      planner({"what-if", "--from", "2031-03-01", "--to", "2031-04-01", "--offer", "nowhere", "--daily-ore", "1"});
  EXPECT_EQ(unknown.exit_code, 1) << described(unknown);
  EXPECT_TRUE(contains(unknown.err, "NOT_FOUND")) << described(unknown);
}

// A municipality's finance staff get its lines; a planner the same month summed, without a
// placement, a stay or (under 3 placements) a total.
TEST_F(PlacectlPlanningTest, SettlementListsEachPlacementsMonthToFinanceAndSumsItForPlanners) {
  auto result =
      server().run("finance", {"settlement", "--month", "2031-03", "--as-of-date", "2031-04-15", "--json"}, 101);
  ASSERT_EQ(result.exit_code, 0) << described(result);
  const auto line = line_where(result, "placement_id", "pl-1");
  EXPECT_EQ(json_field(line, "offer_id"), "pl-hov") << result.out;
  EXPECT_EQ(json_field(line, "place_days"), "31") << result.out;
  EXPECT_EQ(json_field(line, "amount_ore"), "7750000") << result.out;
  EXPECT_EQ(json_field(line, "from"), "2031-03-01") << result.out;
  EXPECT_TRUE(line_where(result, "placement_id", "pl-3").empty()) << "851's line shown to 101\n" << result.out;
  auto foreign = server().run("finance", {"settlement", "--month", "2031-03", "--municipality", "851"}, 101);
  EXPECT_EQ(foreign.exit_code, 1) << described(foreign);
  EXPECT_TRUE(contains(foreign.err, "PERMISSION_DENIED")) << described(foreign);

  auto table = server().auditor({"settlement", "--month", "2031-03", "--as-of-date", "2031-04-15"});
  ASSERT_EQ(table.exit_code, 0) << described(table);
  EXPECT_TRUE(contains(table.out, "AMOUNT_KR")) << table.out;
  EXPECT_TRUE(contains(table.out, "77 500.00")) << table.out;
  EXPECT_TRUE(contains(table.out, "31 000.00")) << table.out;

  auto summed = planner({"settlement", "--month", "2031-03", "--as-of-date", "2031-04-15", "--json"});
  ASSERT_EQ(summed.exit_code, 0) << described(summed);
  const auto row = line_where(summed, "paying_municipality", "101");
  EXPECT_EQ(json_field(row, "placements"), "1") << summed.out;
  EXPECT_EQ(json_field(row, "place_days"), "31") << summed.out;
  EXPECT_EQ(json_field(row, "total_withheld"), "true") << summed.out;
  for (const char* hidden : {"pl-1", "pl-3", "pl-hov", "2031-03-01", "7750000"})
    EXPECT_FALSE(contains(summed.out, hidden)) << hidden << " shown to a planner\n" << summed.out;
}

TEST_F(PlacectlPlanningTest, AdminsSetThePlanningInputsAndOthersMayNot) {
  auto grant = server().admin({"planning", "grant", "--region", "1083", "--year", "2031", "--ore", "100000000",
                               "--command-id", "grant-2031", "--json"});
  ASSERT_EQ(grant.exit_code, 0) << described(grant);
  EXPECT_EQ(json_field(grant.out, "duplicate"), "false") << grant.out;
  auto again = server().admin({"planning", "grant", "--region", "1083", "--year", "2031", "--ore", "100000000",
                               "--command-id", "grant-2031", "--json"});
  EXPECT_EQ(json_field(again.out, "duplicate"), "true") << again.out;
  EXPECT_EQ(json_field(again.out, "first_position"), json_field(grant.out, "first_position"));

  auto regions = planner({"financing", "--from", "2031-03-01", "--to", "2031-04-01", "--by", "region", "--json"});
  ASSERT_EQ(regions.exit_code, 0) << described(regions);
  const auto syddanmark = line_where(regions, "region", "1083");
  EXPECT_EQ(json_field(syddanmark, "block_grant_ore"), "100000000") << regions.out;

  auto tiers = server().admin({"planning", "tiers", "--year", "2031", "--tier", "0:2500", "--tier", "500000000:5000"});
  EXPECT_EQ(tiers.exit_code, 0) << described(tiers);
  EXPECT_TRUE(contains(tiers.out, "0:2500 500000000:5000")) << tiers.out;
  auto key = server().admin({"planning", "key", "--weight", "101:3", "--weight", "851:1"});
  EXPECT_EQ(key.exit_code, 0) << described(key);
  auto income = server().admin({"planning", "income", "pl-1", "--month", "2031-03", "--user-payments-ore", "250000",
                                "--other-refunds-ore", "0"});
  EXPECT_EQ(income.exit_code, 0) << described(income);
  EXPECT_TRUE(contains(income.out, "2 500.00")) << income.out;

  for (const char* role : {"planner", "caseworker", "auditor"}) {
    auto refused = server().run(role, {"planning", "grant", "--region", "1083", "--year", "2031", "--ore", "1"},
                                std::string(role) == "caseworker" ? 101 : 0);
    EXPECT_EQ(refused.exit_code, 1) << role << "\n" << described(refused);
    EXPECT_TRUE(contains(refused.err, "PERMISSION_DENIED")) << described(refused);
  }
}

TEST_F(PlacectlPlanningTest, AuditReplayShowsTheViewsAsTheyWereAtAPosition) {
  ASSERT_FALSE(before_placements_.empty());
  auto then =
      server().auditor({"audit", "replay", "--to-position", before_placements_, "--at", "2031-03-01", "--json"});
  ASSERT_EQ(then.exit_code, 0) << described(then);
  const auto syddanmark = line_where(then, "region", "1083");
  EXPECT_EQ(json_field(syddanmark, "view"), "capacity") << then.out;
  EXPECT_EQ(json_field(syddanmark, "open"), "10") << then.out;
  EXPECT_EQ(json_field(syddanmark, "occupied"), "0") << then.out;
  EXPECT_EQ(json_field(syddanmark, "vacant"), "10") << then.out;
  EXPECT_TRUE(line_where(then, "view", "waiting").empty()) << "no one waited yet\n" << then.out;

  auto now = server().auditor({"audit", "replay", "--to-position", head(), "--at", "2031-03-01", "--json"});
  ASSERT_EQ(now.exit_code, 0) << described(now);
  EXPECT_EQ(json_field(line_where(now, "region", "1083"), "occupied"), "1") << now.out;
  EXPECT_EQ(json_field(line_where(now, "view", "waiting"), "offer_id"), "pl-wait") << now.out;

  auto table = server().auditor({"audit", "replay", "--to-position", before_placements_, "--at", "2031-03-01"});
  ASSERT_EQ(table.exit_code, 0) << described(table);
  EXPECT_TRUE(contains(table.out, "as they were at log position " + before_placements_)) << table.out;
  EXPECT_TRUE(contains(table.out, "waiting lists on 2031-03-01")) << table.out;

  // The same as-of works on every view.
  auto capacity = planner({"capacity", "--at", "2031-03-01", "--as-of", before_placements_, "--json"});
  EXPECT_EQ(json_field(capacity.out, "occupied"), "0") << capacity.out;

  auto beyond = server().auditor({"audit", "replay", "--to-position", "999999999", "--at", "2031-03-01"});
  EXPECT_EQ(beyond.exit_code, 1) << described(beyond);
  EXPECT_TRUE(contains(beyond.err, "INVALID_ARGUMENT")) << described(beyond);
}

}  // namespace
}  // namespace placement
