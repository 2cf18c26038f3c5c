// Every placectl command against the real placementd, run as a subprocess: output formats
// (table, --json, --csv), exit codes (0 ok, 1 refused, 2 bad usage, 3 broken chain, 4 unreachable),
// and that a CPR number given to placectl is never printed.

#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "tests/integration/placectl/placectl_fixture.h"
#include "tests/support/reference_events.h"

namespace placement {
namespace {

using testing::contains;
using testing::described;
using testing::json_field;
using testing::lines_of;
using testing::PlacectlServer;
using testing::ProgramResult;
using testing::run_placectl;

constexpr const char* kCpr = "010190-1234";
constexpr const char* kCprDigits = "0101901234";
constexpr const char* kOtherCpr = "020285-2345";

void expect_no_cpr(const ProgramResult& result) {
  for (const char* secret : {kCpr, kCprDigits, kOtherCpr, "0202852345"}) {
    EXPECT_FALSE(contains(result.out, secret)) << "stdout shows " << secret << "\n" << described(result);
    EXPECT_FALSE(contains(result.err, secret)) << "stderr shows " << secret << "\n" << described(result);
  }
}

class PlacectlTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new PlacectlServer();
    if (!server_->start()) ADD_FAILURE() << server_->process().error();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->process().running()) << server_->process().error(); }

  static const PlacectlServer& server() { return *server_; }

  // Registers a MODERAT offer for target groups 1,3 in Region Hovedstaden with `places` from 2031-01-01.
  static void register_offer(const std::string& id, int places, const std::string& level = "MODERAT") {
    auto registered = server().offer_operator(
        {"offers",      "register",  "--id",        id,         "--name",  "Tilbud " + id,   "--operator",
         "1084",        "--level",   level,         "--groups", "1,3",     "--service-type", "DOGN",
         "--paragraph", "SEL § 108", "--catchment", "1084",     "--model", "TAKST"});
    ASSERT_EQ(registered.exit_code, 0) << described(registered);
    if (places == 0) return;
    auto capacity =
        server().offer_operator({"offers", "capacity", id, "--from", "2031-01-01", "--places", std::to_string(places)});
    ASSERT_EQ(capacity.exit_code, 0) << described(capacity);
  }

  static PlacectlServer* server_;
};

PlacectlServer* PlacectlTest::server_ = nullptr;

TEST(PlacectlUsage, HelpOverviewAndEveryCommandsHelpShowAnExample) {
  auto overview = run_placectl({"--help"});
  EXPECT_EQ(overview.exit_code, 0) << described(overview);
  for (const char* part : {"caseworker:", "operator:", "auditor:", "exit codes", "--json", "--csv"})
    EXPECT_TRUE(contains(overview.out, part)) << part << "\n" << overview.out;

  const std::vector<std::vector<std::string>> commands = {
      {"vacancies"},          {"request"},        {"reserve"},         {"admit"},          {"transfer"},
      {"discharge"},          {"withdraw"},       {"placements"},      {"placement"},      {"offers", "register"},
      {"offers", "capacity"}, {"offers", "rate"}, {"offers", "close"}, {"offers", "list"}, {"offers", "show"},
      {"capacity-of"},        {"allocate"},       {"reject"},          {"audit", "tail"},  {"audit", "export"},
      {"audit", "verify"},    {"audit", "head"}};
  for (auto command : commands) {
    const std::string name = command.size() == 1 ? command[0] : command[0] + " " + command[1];
    EXPECT_TRUE(contains(overview.out, name)) << name;
    command.push_back("--help");
    auto help = run_placectl(command);
    EXPECT_EQ(help.exit_code, 0) << name << "\n" << described(help);
    EXPECT_TRUE(contains(help.out, "usage: placectl " + name)) << help.out;
    EXPECT_TRUE(contains(help.out, "example")) << help.out;
    EXPECT_TRUE(contains(help.out, "placectl ")) << help.out;
  }
  auto group = run_placectl({"offers"});
  EXPECT_EQ(group.exit_code, 0) << described(group);
  EXPECT_TRUE(contains(group.out, "offers register")) << group.out;
}

TEST(PlacectlUsage, BadUsageExitsTwoWithoutCallingAServer) {
  // Nothing listens on port 1: a call would exit 4, so 2 proves nothing was sent.
  const std::vector<std::vector<std::string>> bad = {
      {"--as", "admin"},                                                                     // no command
      {"--as", "admin", "teleport"},                                                         // unknown command
      {"--as", "admin", "offers", "paint"},                                                  // unknown subcommand
      {"--as", "admin", "offers", "show"},                                                   // missing ID
      {"--as", "admin", "offers", "show", "a", "b"},                                         // one too many
      {"--as", "admin", "offers", "close", "a"},                                             // missing --from
      {"--as", "admin", "offers", "close", "a", "--from", "2031-13-01"},                     // bad date
      {"--as", "admin", "offers", "close", "a", "--from", "1.1.2031"},                       // bad date
      {"--as", "admin", "offers", "close", "a", "--from", "2031-01-01", "--colour", "red"},  // unknown option
      {"--as", "admin", "offers", "rate", "a", "--from", "2031-01-01"},                      // neither daily nor basis
      {"--as", "admin", "offers", "rate", "a", "--from", "2031-01-01", "--daily-ore", "5", "--places", "3"},
      {"--as", "caseworker", "vacancies", "--group", "7", "--level", "LET", "--age", "30", "--date", "2031-01-01"},
      {"--as", "caseworker", "vacancies", "--group", "1", "--level", "HIGH", "--age", "30", "--date", "2031-01-01"},
      {"--as", "auditor", "audit", "verify", "--from", "0"},
      {"--as", "auditor", "audit", "head", "--timeout", "soon"},
      {"audit", "head"},  // no role
  };
  for (auto args : bad) {
    std::string shown;
    for (const auto& arg : args) shown += arg + " ";
    args.insert(args.begin(), {"--server", "127.0.0.1:1"});
    auto result = run_placectl(args);
    EXPECT_EQ(result.exit_code, 2) << shown << "\n" << described(result);
    EXPECT_TRUE(result.out.empty()) << shown << "\n" << described(result);
    EXPECT_TRUE(contains(result.err, "placectl: ")) << shown << "\n" << described(result);
  }
}

TEST(PlacectlUsage, UnreachableServerExitsFour) {
  // A token is needed to make a call at all; this one is never checked, as nothing answers.
  auto result = run_placectl({"--server", "127.0.0.1:1", "--token", "a.b.c", "audit", "head"});
  EXPECT_EQ(result.exit_code, 4) << described(result);
  EXPECT_TRUE(contains(result.err, "cannot reach placementd at 127.0.0.1:1")) << described(result);
  // The environment names the server too.
  result = run_placectl({"audit", "head"}, {{"PLACEMENT_SERVER", "127.0.0.1:1"}, {"PLACEMENT_TOKEN", "a.b.c"}});
  EXPECT_EQ(result.exit_code, 4) << described(result);
}

TEST(PlacectlUsage, CprGivenOnTheCommandLineIsNeverEchoedInUsageErrors) {
  auto misplaced = run_placectl({"--server", "127.0.0.1:1", "--as", "caseworker", "placement", "p-1", kCpr});
  EXPECT_EQ(misplaced.exit_code, 2);
  expect_no_cpr(misplaced);
  auto as_group = run_placectl({"--server", "127.0.0.1:1", "--as", "caseworker", "vacancies", "--group", kCprDigits,
                                "--level", "LET", "--age", "3", "--date", "2031-01-01"});
  EXPECT_EQ(as_group.exit_code, 2);
  expect_no_cpr(as_group);
}

TEST_F(PlacectlTest, RefusalExitsOneAndNamesTheStatusCode) {
  auto denied = server().caseworker({"offers",   "register",    "--id",           "nope",    "--name",
                                     "n",        "--operator",  "1084",           "--level", "LET",
                                     "--groups", "1",           "--service-type", "DOGN",    "--paragraph",
                                     "x",        "--catchment", "national",       "--model", "TAKST"});
  EXPECT_EQ(denied.exit_code, 1) << described(denied);
  EXPECT_TRUE(contains(denied.err, "PERMISSION_DENIED")) << described(denied);
  EXPECT_TRUE(denied.out.empty()) << described(denied);

  auto missing = server().offer_operator({"offers", "show", "no-such-offer"});
  EXPECT_EQ(missing.exit_code, 1) << described(missing);
  EXPECT_TRUE(contains(missing.err, "NOT_FOUND")) << described(missing);

  auto wrong_role = server().run("planner", {"audit", "head"});
  EXPECT_EQ(wrong_role.exit_code, 1) << described(wrong_role);
  EXPECT_TRUE(contains(wrong_role.err, "PERMISSION_DENIED")) << described(wrong_role);

  // No token can be minted for a role that does not exist: bad usage, nothing sent.
  auto unknown_role = server().run("wizard", {"audit", "head"});
  EXPECT_EQ(unknown_role.exit_code, 2) << described(unknown_role);
  EXPECT_TRUE(contains(unknown_role.err, "operator, caseworker, finance, planner, auditor or admin"))
      << described(unknown_role);
}

TEST_F(PlacectlTest, OperatorRegistersAndShapesAnOffer) {
  auto registered = server().offer_operator({"offers",
                                             "register",
                                             "--id",
                                             "adm",
                                             "--name",
                                             "Botilbud Solbakken, afd. 2",
                                             "--operator",
                                             "1084",
                                             "--level",
                                             "MODERAT",
                                             "--groups",
                                             "1,3",
                                             "--service-type",
                                             "dogn",
                                             "--paragraph",
                                             "SEL § 108",
                                             "--catchment",
                                             "national",
                                             "--model",
                                             "MIXED",
                                             "--objective-share-bp",
                                             "4000"});
  ASSERT_EQ(registered.exit_code, 0) << described(registered);
  EXPECT_TRUE(contains(registered.out, "offer_id")) << registered.out;
  EXPECT_TRUE(contains(registered.out, "first_position")) << registered.out;

  auto again = server().offer_operator({"offers",   "register",    "--id",           "adm",     "--name",
                                        "x",        "--operator",  "1084",           "--level", "LET",
                                        "--groups", "1",           "--service-type", "DOGN",    "--paragraph",
                                        "x",        "--catchment", "1084",           "--model", "TAKST"});
  EXPECT_EQ(again.exit_code, 1) << described(again);
  EXPECT_TRUE(contains(again.err, "ALREADY_EXISTS")) << described(again);

  for (const auto& args : std::vector<std::vector<std::string>>{
           {"offers", "capacity", "adm", "--from", "2031-01-01", "--places", "3"},
           {"offers", "rate", "adm", "--from", "2031-01-01", "--daily-ore", "250000"},
           {"offers", "rate", "adm", "--from", "2032-01-01", "--basis-year", "2032", "--costs-ore", "1000000000",
            "--overhead-bp", "500", "--depreciation-ore", "50000000", "--places", "3", "--occupancy-bp", "9500"}}) {
    auto result = server().offer_operator(args);
    EXPECT_EQ(result.exit_code, 0) << described(result);
  }

  auto shown = server().offer_operator({"offers", "show", "adm", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << described(shown);
  ASSERT_EQ(lines_of(shown.out).size(), 1u) << shown.out;
  EXPECT_EQ(json_field(shown.out, "name"), "Botilbud Solbakken, afd. 2");
  EXPECT_EQ(json_field(shown.out, "groups"), "1,3");
  EXPECT_EQ(json_field(shown.out, "catchment"), "national");
  EXPECT_EQ(json_field(shown.out, "model"), "MIXED");
  EXPECT_EQ(json_field(shown.out, "objective_share_bp"), "4000");
  EXPECT_TRUE(contains(shown.out, R"("capacity":[{"from":"2031-01-01","places":3}])")) << shown.out;
  EXPECT_TRUE(contains(shown.out, R"("daily_ore":250000)")) << shown.out;
  EXPECT_TRUE(contains(shown.out, R"("basis_year":2032)")) << shown.out;

  auto table = server().offer_operator({"offers", "show", "adm"});
  ASSERT_EQ(table.exit_code, 0) << described(table);
  EXPECT_TRUE(contains(table.out, "Botilbud Solbakken, afd. 2")) << table.out;
  EXPECT_TRUE(contains(table.out, "from=2031-01-01 places=3")) << table.out;

  auto counts = server().run("planner", {"capacity-of", "adm", "--at", "2031-02-01", "--json"});
  ASSERT_EQ(counts.exit_code, 0) << described(counts);
  EXPECT_EQ(json_field(counts.out, "open"), "3") << counts.out;
  EXPECT_EQ(json_field(counts.out, "vacant"), "3") << counts.out;

  auto csv = server().offer_operator({"offers", "list", "--csv", "--level", "MODERAT"});
  ASSERT_EQ(csv.exit_code, 0) << described(csv);
  const auto rows = lines_of(csv.out);
  ASSERT_GE(rows.size(), 2u) << csv.out;
  EXPECT_EQ(rows[0], "offer_id,name,operator,region,level,groups,service_type,catchment,model,closed_from,waiting");
  EXPECT_TRUE(contains(csv.out, "adm,\"Botilbud Solbakken, afd. 2\",1084,1084,MODERAT,\"1,3\",DOGN,national,MIXED,,0"))
      << csv.out;
  auto other_level = server().offer_operator({"offers", "list", "--csv", "--level", "HOJT"});
  EXPECT_FALSE(contains(other_level.out, "adm,")) << other_level.out;

  auto closed = server().offer_operator({"offers", "close", "adm", "--from", "2033-01-01"});
  EXPECT_EQ(closed.exit_code, 0) << described(closed);
  auto open_only = server().offer_operator({"offers", "list"});
  EXPECT_FALSE(contains(open_only.out, "adm ")) << open_only.out;
  auto with_closed = server().offer_operator({"offers", "list", "--include-closed"});
  EXPECT_TRUE(contains(with_closed.out, "OFFER_ID")) << with_closed.out;
  EXPECT_TRUE(contains(with_closed.out, "2033-01-01")) << with_closed.out;
}

TEST_F(PlacectlTest, RetryWithTheSameCommandIdIsADuplicateAndWritesNothing) {
  register_offer("retry", 0);
  auto first = server().offer_operator({"offers", "capacity", "retry", "--from", "2031-01-01", "--places", "2",
                                        "--command-id", "cap-retry-1", "--json"});
  ASSERT_EQ(first.exit_code, 0) << described(first);
  EXPECT_EQ(json_field(first.out, "duplicate"), "false");
  auto second = server().offer_operator({"offers", "capacity", "retry", "--from", "2031-01-01", "--places", "2",
                                         "--command-id", "cap-retry-1", "--json"});
  ASSERT_EQ(second.exit_code, 0) << described(second);
  EXPECT_EQ(json_field(second.out, "duplicate"), "true");
  EXPECT_EQ(json_field(second.out, "first_position"), json_field(first.out, "first_position"));
}

TEST_F(PlacectlTest, CaseworkerTakesAPlacementThroughItsLifeWithoutEverPrintingTheCpr) {
  register_offer("cw-a", 2);
  register_offer("cw-b", 1);

  auto vacancies = server().caseworker(
      {"vacancies", "--group", "1", "--level", "MODERAT", "--age", "41", "--region", "1084", "--date", "2031-02-01"});
  ASSERT_EQ(vacancies.exit_code, 0) << described(vacancies);
  EXPECT_TRUE(contains(vacancies.out, "OFFER_ID")) << vacancies.out;
  EXPECT_TRUE(contains(vacancies.out, "cw-a")) << vacancies.out;
  auto vacancies_json = server().caseworker(
      {"vacancies", "--group", "1", "--level", "MODERAT", "--age", "41", "--date", "2031-02-01", "--json"});
  ASSERT_EQ(vacancies_json.exit_code, 0) << described(vacancies_json);
  bool found = false;
  for (const auto& line : lines_of(vacancies_json.out))
    if (json_field(line, "offer_id") == "cw-a") found = json_field(line, "free_places") == "2";
  EXPECT_TRUE(found) << vacancies_json.out;

  // The caller's municipality comes from the request's paying municipality when not given.
  auto requested = testing::run_placectl({"--server",
                                          server().process().address(),
                                          "--secret-file",
                                          server().process().token_secret_file().string(),
                                          "--as",
                                          "caseworker",
                                          "request",
                                          "--cpr",
                                          kCpr,
                                          "--municipality",
                                          "101",
                                          "--offer",
                                          "cw-a",
                                          "--level",
                                          "MODERAT",
                                          "--group",
                                          "1",
                                          "--start",
                                          "2031-02-01",
                                          "--placement-id",
                                          "cw-1",
                                          "--json"});
  ASSERT_EQ(requested.exit_code, 0) << described(requested);
  expect_no_cpr(requested);
  EXPECT_EQ(json_field(requested.out, "placement_id"), "cw-1");
  EXPECT_EQ(json_field(requested.out, "status"), "REQUESTED");
  EXPECT_EQ(json_field(requested.out, "age_at_start"), "41");

  auto step = [&](std::vector<std::string> args, const std::string& status) {
    args.push_back("--json");
    auto result = server().caseworker(args);
    EXPECT_EQ(result.exit_code, 0) << described(result);
    EXPECT_EQ(json_field(result.out, "status"), status) << described(result);
    expect_no_cpr(result);
    return result;
  };
  step({"reserve", "cw-1", "--from", "2031-02-01"}, "RESERVED");
  step({"admit", "cw-1", "--on", "2031-02-03"}, "ADMITTED");
  auto moved = step({"transfer", "cw-1", "--to", "cw-b", "--on", "2031-03-01"}, "ADMITTED");
  EXPECT_EQ(json_field(moved.out, "offer_id"), "cw-b");
  EXPECT_TRUE(contains(moved.out, R"("previous_stays":[{"offer_id":"cw-a","from":"2031-02-03","to":"2031-03-01"}])"))
      << moved.out;
  step({"discharge", "cw-1", "--on", "2031-06-01"}, "DISCHARGED");

  auto shown = server().caseworker({"placement", "cw-1"});
  ASSERT_EQ(shown.exit_code, 0) << described(shown);
  EXPECT_TRUE(contains(shown.out, "DISCHARGED")) << shown.out;
  EXPECT_TRUE(contains(shown.out, "2031-06-01")) << shown.out;
  expect_no_cpr(shown);

  // A second request by the same citizen, withdrawn.
  auto second =
      server().caseworker({"request", "--cpr", kCprDigits, "--municipality", "101", "--offer", "cw-a", "--level",
                           "MODERAT", "--group", "1", "--start", "2031-08-01", "--placement-id", "cw-2"});
  ASSERT_EQ(second.exit_code, 0) << described(second);
  expect_no_cpr(second);
  step({"withdraw", "cw-2", "--reason", "the family declined"}, "WITHDRAWN");

  auto listed = server().caseworker({"placements", "--offer", "cw-b", "--csv"});
  ASSERT_EQ(listed.exit_code, 0) << described(listed);
  EXPECT_EQ(lines_of(listed.out).at(0),
            "placement_id,status,offer_id,municipality,level,group,age_at_start,requested_start,waiting_position,"
            "admitted_on,discharged_on");
  EXPECT_TRUE(contains(listed.out, "cw-1,DISCHARGED,cw-b,101,MODERAT,1,41,2031-02-01,0,2031-02-03,2031-06-01"))
      << listed.out;
  auto by_citizen = server().caseworker({"placements", "--cpr", kCpr, "--json"});
  ASSERT_EQ(by_citizen.exit_code, 0) << described(by_citizen);
  expect_no_cpr(by_citizen);
  EXPECT_EQ(lines_of(by_citizen.out).size(), 2u) << by_citizen.out;
  auto by_status = server().caseworker({"placements", "--status", "withdrawn"});
  EXPECT_TRUE(contains(by_status.out, "cw-2")) << by_status.out;
  EXPECT_FALSE(contains(by_status.out, "cw-1")) << by_status.out;

  // Another municipality's caseworker sees nothing and may not act.
  auto other = server().caseworker({"placements", "--offer", "cw-b"}, 147);
  EXPECT_EQ(other.exit_code, 0) << described(other);
  EXPECT_FALSE(contains(other.out, "cw-1")) << other.out;
  auto refused = server().caseworker({"withdraw", "cw-1"}, 147);
  EXPECT_EQ(refused.exit_code, 1) << described(refused);

  // A refused request names the code and still never shows the number.
  auto bad = server().caseworker({"request", "--cpr", "320190-1234", "--municipality", "101", "--offer", "cw-a",
                                  "--level", "MODERAT", "--group", "1", "--start", "2031-02-01"});
  EXPECT_EQ(bad.exit_code, 1) << described(bad);
  EXPECT_TRUE(contains(bad.err, "INVALID_ARGUMENT")) << described(bad);
  EXPECT_FALSE(contains(bad.err, "320190")) << described(bad);
}

TEST_F(PlacectlTest, OperatorAllocatesAFreedPlaceToTheWaitingAndRejectsARequest) {
  register_offer("wl", 0);
  auto waiting = server().caseworker({"request", "--cpr", kOtherCpr, "--municipality", "101", "--offer", "wl",
                                      "--level", "MODERAT", "--group", "3", "--start", "2031-02-01", "--wait",
                                      "--placement-id", "wl-1", "--json"});
  ASSERT_EQ(waiting.exit_code, 0) << described(waiting);
  EXPECT_EQ(json_field(waiting.out, "status"), "WAITLISTED");
  EXPECT_EQ(json_field(waiting.out, "waiting_position"), "1");
  expect_no_cpr(waiting);

  ASSERT_EQ(server().offer_operator({"offers", "capacity", "wl", "--from", "2031-01-01", "--places", "1"}).exit_code,
            0);
  auto allocated = server().offer_operator({"allocate", "wl-1", "--from", "2031-02-01", "--json"});
  ASSERT_EQ(allocated.exit_code, 0) << described(allocated);
  EXPECT_EQ(json_field(allocated.out, "status"), "RESERVED");

  register_offer("rj", 1);
  ASSERT_EQ(server()
                .caseworker({"request", "--cpr", kOtherCpr, "--municipality", "101", "--offer", "rj", "--level",
                             "MODERAT", "--group", "1", "--start", "2031-02-01", "--placement-id", "rj-1"})
                .exit_code,
            0);
  EXPECT_EQ(server().offer_operator({"reject", "rj-1"}).exit_code, 2) << "a rejection needs its reason";
  auto rejected = server().offer_operator({"reject", "rj-1", "--reason", "needs a HOJT offer"});
  ASSERT_EQ(rejected.exit_code, 0) << described(rejected);
  EXPECT_TRUE(contains(rejected.out, "REJECTED")) << rejected.out;
  EXPECT_TRUE(contains(rejected.out, "needs a HOJT offer")) << rejected.out;
}

TEST_F(PlacectlTest, AuditorReadsFollowsExportsAndVerifiesTheLog) {
  register_offer("aud", 2);
  auto head = server().auditor({"audit", "head", "--json"});
  ASSERT_EQ(head.exit_code, 0) << described(head);
  const std::uint64_t head_position = std::stoull(json_field(head.out, "position"));
  EXPECT_GT(head_position, testing::kReferenceEvents) << "reference data and the offer";
  EXPECT_EQ(json_field(head.out, "hash").size(), 64u) << head.out;

  auto first_three = server().auditor({"audit", "tail", "--from", "1", "--max", "3"});
  ASSERT_EQ(first_three.exit_code, 0) << described(first_three);
  auto rows = lines_of(first_three.out);
  ASSERT_EQ(rows.size(), 4u) << first_three.out;
  EXPECT_EQ(rows[0].rfind("POSITION", 0), 0u) << rows[0];
  EXPECT_EQ(rows[1].rfind("1 ", 0), 0u) << rows[1];

  auto registrations = server().auditor(
      {"audit", "tail", "--from", "1", "--type", "OfferRegistered", "--stream", "offer-aud", "--max", "1", "--json"});
  ASSERT_EQ(registrations.exit_code, 0) << described(registrations);
  EXPECT_EQ(json_field(registrations.out, "event_type"), "OfferRegistered") << registrations.out;
  EXPECT_EQ(json_field(registrations.out, "subject"), "operator-1") << registrations.out;

  // Following the live log: the next event arrives while tail waits.
  const std::string next =
      std::to_string(std::stoull(json_field(server().auditor({"audit", "head", "--json"}).out, "position")) + 1);
  auto following = std::async(std::launch::async, [&] {
    return server().auditor({"audit", "tail", "--from", next, "--max", "1", "--csv"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(server().offer_operator({"offers", "capacity", "aud", "--from", "2031-06-01", "--places", "4"}).exit_code,
            0);
  ASSERT_EQ(following.wait_for(std::chrono::seconds(30)), std::future_status::ready) << "tail saw nothing";
  auto followed = following.get();
  ASSERT_EQ(followed.exit_code, 0) << described(followed);
  rows = lines_of(followed.out);
  ASSERT_EQ(rows.size(), 2u) << followed.out;
  EXPECT_EQ(rows[0], "position,recorded_at,stream_id,version,event_type,actor,hash");
  EXPECT_EQ(rows[1].rfind(next + ",", 0), 0u) << rows[1];
  EXPECT_TRUE(contains(rows[1], ",offer-aud,")) << rows[1];

  // The whole log verifies, on the server and here, in every format.
  auto verified = server().auditor({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << described(verified);
  EXPECT_TRUE(contains(verified.out, "server: OK")) << verified.out;
  EXPECT_TRUE(contains(verified.out, "client: OK")) << verified.out;
  EXPECT_TRUE(contains(verified.out, "OK: positions 1..")) << verified.out;
  EXPECT_TRUE(verified.err.empty()) << "no progress bar when stderr is not a terminal: " << verified.err;
  auto range = server().auditor({"audit", "verify", "--from", "5", "--to", "20", "--json"});
  EXPECT_EQ(range.exit_code, 0) << described(range);
  EXPECT_TRUE(contains(range.out, R"("ok":true,"from":5,"to":20,"server":{"ok":true,"events_checked":16)"))
      << range.out;
  auto csv = server().auditor({"audit", "verify", "--csv", "--to", "10"});
  EXPECT_EQ(csv.exit_code, 0) << described(csv);
  EXPECT_EQ(lines_of(csv.out).at(0).rfind("ok,from,to,server_ok,", 0), 0u) << csv.out;
  EXPECT_EQ(server().auditor({"audit", "verify", "--from", "9", "--to", "3"}).exit_code, 2);

  // Export, whole and partial, verified offline.
  const auto file = (server().dir().path() / "log.jsonl").string();
  auto exported = server().auditor({"audit", "export", "--output", file});
  ASSERT_EQ(exported.exit_code, 0) << described(exported);
  EXPECT_TRUE(contains(exported.err, "exported ")) << exported.err;
  auto offline = testing::run_program("/usr/bin/python3", {VERIFY_EXPORT_PATH, file});
  EXPECT_EQ(offline.exit_code, 0) << described(offline);
  EXPECT_TRUE(contains(offline.out, "OK: ")) << offline.out;

  auto partial = server().auditor({"audit", "export", "--from", "3", "--to", "6"});
  ASSERT_EQ(partial.exit_code, 0) << described(partial);
  rows = lines_of(partial.out);
  ASSERT_EQ(rows.size(), 4u) << partial.out;
  EXPECT_EQ(json_field(rows[0], "position"), "3");
  for (const char* key : {"stream_id", "stream_version", "event_id", "command_id", "actor", "recorded_at", "event_type",
                          "payload", "prev_hash", "hash", "envelope_bytes"})
    EXPECT_TRUE(contains(rows[0], std::string("\"") + key + "\":")) << key << " in " << rows[0];
  const auto partial_file = (server().dir().path() / "partial.jsonl").string();
  std::ofstream(partial_file) << partial.out;
  auto partial_offline = testing::run_program("/usr/bin/python3", {VERIFY_EXPORT_PATH, partial_file});
  EXPECT_EQ(partial_offline.exit_code, 0) << described(partial_offline);
  EXPECT_TRUE(contains(partial_offline.out, "OK: 4 events, positions 3..6")) << partial_offline.out;
}

}  // namespace
}  // namespace placement
