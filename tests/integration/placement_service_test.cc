// PlacementService through the real placementd: the lifecycle of a placement, the race for
// fewer places than citizens, the waiting list with allocation and expiry, transfers, restarts,
// personal data and who may do what.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <latch>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/list_all.h"
#include "tests/support/reference_events.h"
#include "tests/support/scenario.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

using testing::Clients;
using testing::date;
using testing::RequestSpec;
using testing::succeeded;
using testing::Who;

constexpr std::uint32_t kKobenhavn = 101;
constexpr std::uint32_t kFrederiksberg = 147;

// A placementd of its own in a temporary folder, with clients for it.
struct RunningServer {
  explicit RunningServer(std::vector<std::string> extra_args = {})
      : process(dir.path() / "data", std::move(extra_args)) {}

  bool start() {
    if (!process.start()) return false;
    api = std::make_unique<Clients>(process);
    return true;
  }

  testing::TempDir dir;
  testing::ServerProcess process;
  std::unique_ptr<Clients> api;
};

bool same_date(const v1::CalendarDate& a, const v1::CalendarDate& b) {
  return a.year() == b.year() && a.month() == b.month() && a.day() == b.day();
}

std::string text(const v1::CalendarDate& d) {
  return std::to_string(d.year()) + "-" + std::to_string(d.month()) + "-" + std::to_string(d.day());
}

#define EXPECT_DATE(actual, expected) \
  EXPECT_TRUE(same_date(actual, expected)) << text(actual) << " != " << text(expected)

// A valid CPR number for n in 1..31: born n January 1980, serial 1000 + n.
std::string cpr_number(int n) {
  const std::string day = std::to_string(n);
  return (day.size() == 1 ? "0" + day : day) + "0180-" + std::to_string(1000 + n);
}

std::size_t count_events(Clients& api, const std::string& type, const std::string& offer_id) {
  std::size_t count = 0;
  for (const auto& event : testing::read_events(api, {type})) {
    if (type == "PlacementReserved" && testing::payload_of<v1::PlacementReserved>(event).offer_id() == offer_id)
      ++count;
    if (type == "PlacementWaitlisted" && testing::payload_of<v1::PlacementWaitlisted>(event).offer_id() == offer_id)
      ++count;
    if (type == "PlaceProposed" && testing::payload_of<v1::PlaceProposed>(event).offer_id() == offer_id) ++count;
  }
  return count;
}

// Polls until the placement has the status or the time is up; returns the last seen placement.
v1::Placement wait_for_status(Clients& api, const std::string& placement_id, v1::PlacementStatus status,
                              std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  v1::Placement seen = testing::fetch_placement(api, placement_id);
  while (seen.status() != status && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    seen = testing::fetch_placement(api, placement_id);
  }
  return seen;
}

// ---- 2. the lifecycle ----

TEST(PlacementLifecycle, RequestReserveAdmitDischargeOccupiesHalfOpenDateRanges) {
  RunningServer server;
  ASSERT_TRUE(server.start()) << server.process.error();
  Clients& api = *server.api;
  ASSERT_TRUE(succeeded(testing::register_offer(api, "lc", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 2)));
  const Who caseworker = Who::caseworker(kKobenhavn);

  v1::PlacementResponse response;
  ASSERT_TRUE(succeeded(
      testing::request_placement(api, RequestSpec("010190-1234", "lc").id("lc-1").paid_by(kKobenhavn), &response)));
  EXPECT_FALSE(response.result().duplicate());
  EXPECT_GT(response.result().first_position(), testing::kReferenceEvents);
  EXPECT_EQ(response.placement().placement_id(), "lc-1");
  EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_REQUESTED);
  EXPECT_EQ(response.placement().offer_id(), "lc");
  EXPECT_EQ(response.placement().paying_municipality_code(), kKobenhavn);
  EXPECT_EQ(response.placement().age_at_start(), 41) << "born 1 January 1990, start 1 February 2031";
  EXPECT_DATE(response.placement().requested_start(), date(2031, 2, 1));
  EXPECT_EQ(response.placement().waiting_position(), 0u);
  EXPECT_EQ(testing::capacity(api, "lc", date(2031, 2, 1)).vacant(), 2) << "a request holds nothing";

  ASSERT_TRUE(succeeded(testing::reserve(api, caseworker, "lc-1", date(2031, 2, 1), false, &response)));
  EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_RESERVED);
  EXPECT_DATE(response.placement().hold_from(), date(2031, 2, 1));
  const auto now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_GT(response.placement().hold_expires_at().seconds(), now_seconds + 13 * 24 * 3600)
      << "held for the default 14 days";
  EXPECT_EQ(testing::capacity(api, "lc", date(2031, 1, 31)).reserved(), 0);
  auto counts = testing::capacity(api, "lc", date(2031, 2, 1));
  EXPECT_EQ(counts.open(), 2);
  EXPECT_EQ(counts.reserved(), 1);
  EXPECT_EQ(counts.occupied(), 0);
  EXPECT_EQ(counts.vacant(), 1);
  EXPECT_EQ(testing::capacity(api, "lc", date(2040, 1, 1)).reserved(), 1) << "a reservation holds until admitted";

  ASSERT_TRUE(succeeded(testing::admit(api, caseworker, "lc-1", date(2031, 2, 3), &response)));
  EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_ADMITTED);
  EXPECT_DATE(response.placement().admitted_on(), date(2031, 2, 3));
  counts = testing::capacity(api, "lc", date(2031, 2, 2));
  EXPECT_EQ(counts.occupied(), 0);
  EXPECT_EQ(counts.reserved(), 0);
  EXPECT_EQ(counts.vacant(), 2);
  counts = testing::capacity(api, "lc", date(2031, 2, 3));
  EXPECT_EQ(counts.occupied(), 1);
  EXPECT_EQ(counts.reserved(), 0);
  EXPECT_EQ(counts.vacant(), 1);

  ASSERT_TRUE(succeeded(testing::discharge(api, caseworker, "lc-1", date(2031, 4, 1), &response)));
  EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_DISCHARGED);
  EXPECT_DATE(response.placement().discharged_on(), date(2031, 4, 1));
  // Admitted on A = 3 February, discharged on D = 1 April: occupied on A … D−1.
  EXPECT_EQ(testing::capacity(api, "lc", date(2031, 2, 2)).occupied(), 0);
  EXPECT_EQ(testing::capacity(api, "lc", date(2031, 2, 3)).occupied(), 1);
  EXPECT_EQ(testing::capacity(api, "lc", date(2031, 3, 31)).occupied(), 1);
  counts = testing::capacity(api, "lc", date(2031, 4, 1));
  EXPECT_EQ(counts.occupied(), 0);
  EXPECT_EQ(counts.vacant(), 2);

  // The placement's stream tells the same story, each event by the caseworker who did it.
  std::vector<std::string> types;
  for (const auto& event : testing::read_events(api)) {
    if (event.envelope().stream_id() != "placement-lc-1") continue;
    types.push_back(event.envelope().event_type());
    EXPECT_EQ(event.envelope().actor().role(), v1::ROLE_CASEWORKER);
    EXPECT_EQ(event.envelope().actor().municipality_code(), kKobenhavn);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"PlacementRequested", "PlacementReserved", "PlacementAdmitted",
                                             "PlacementDischarged"}));

  // A discharged placement is done.
  const auto before = testing::head(api);
  EXPECT_EQ(testing::admit(api, caseworker, "lc-1", date(2031, 5, 1)).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(testing::head(api), before);
}

// ---- 3. the race ----

// One client per racer, each on its own connection, released together.
std::vector<grpc::StatusCode> race_reservations(const std::string& address, const std::vector<std::string>& ids,
                                                const v1::CalendarDate& from, bool join_waiting_list_if_full) {
  std::vector<grpc::StatusCode> codes(ids.size(), grpc::StatusCode::UNKNOWN);
  std::latch ready(static_cast<std::ptrdiff_t>(ids.size()));
  std::vector<std::thread> racers;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    racers.emplace_back([&, i] {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
      auto channel = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
      channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
      auto stub = v1::PlacementService::NewStub(channel);
      auto request = testing::reserve_request(ids[i], from, join_waiting_list_if_full);
      auto context = Who::caseworker(kKobenhavn).context();
      v1::PlacementResponse response;
      ready.arrive_and_wait();
      codes[i] = stub->ReservePlace(context.get(), request, &response).error_code();
    });
  }
  for (auto& racer : racers) racer.join();
  return codes;
}

TEST(PlacementRace, TwelveClientsRacingForThreePlacesGetExactlyThreeAndTheRestWait) {
  RunningServer server;
  ASSERT_TRUE(server.start()) << server.process.error();
  Clients& api = *server.api;
  ASSERT_TRUE(succeeded(testing::register_offer(api, "race", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 3)));
  std::vector<std::string> ids;
  for (int i = 1; i <= 12; ++i) {
    ids.push_back("race-" + std::to_string(i));
    ASSERT_TRUE(succeeded(
        testing::request_placement(api, RequestSpec(cpr_number(i), "race").id(ids.back()).paid_by(kKobenhavn))));
  }

  const auto codes = race_reservations(server.process.address(), ids, date(2031, 2, 1), false);
  std::vector<std::string> winners;
  std::vector<std::string> losers;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (codes[i] == grpc::StatusCode::OK) {
      winners.push_back(ids[i]);
    } else {
      EXPECT_EQ(codes[i], grpc::StatusCode::FAILED_PRECONDITION) << ids[i];
      losers.push_back(ids[i]);
    }
  }
  ASSERT_EQ(winners.size(), 3u);
  ASSERT_EQ(losers.size(), 9u);
  for (const auto& id : winners) EXPECT_EQ(testing::fetch_placement(api, id).status(), v1::PLACEMENT_STATUS_RESERVED);
  for (const auto& id : losers) EXPECT_EQ(testing::fetch_placement(api, id).status(), v1::PLACEMENT_STATUS_REQUESTED);
  std::set<std::string> logged;
  for (const auto& event : testing::read_events(api, {"PlacementReserved"}))
    logged.insert(testing::payload_of<v1::PlacementReserved>(event).placement_id());
  EXPECT_EQ(logged, std::set<std::string>(winners.begin(), winners.end())) << "the log names exactly the winners";

  // The losers race again, now joining the waiting list when full: every one of them waits.
  const auto second = race_reservations(server.process.address(), losers, date(2031, 2, 1), true);
  for (std::size_t i = 0; i < losers.size(); ++i) EXPECT_EQ(second[i], grpc::StatusCode::OK) << losers[i];
  std::set<std::uint32_t> positions;
  std::uint32_t previous = 0;
  for (const auto& id : losers) {  // in request order, which orders the list
    const v1::Placement waiting = testing::fetch_placement(api, id);
    EXPECT_EQ(waiting.status(), v1::PLACEMENT_STATUS_WAITLISTED) << id;
    EXPECT_GT(waiting.waiting_position(), previous) << id << " was requested later than the one before";
    previous = waiting.waiting_position();
    positions.insert(waiting.waiting_position());
  }
  EXPECT_EQ(positions, (std::set<std::uint32_t>{1, 2, 3, 4, 5, 6, 7, 8, 9}));

  EXPECT_EQ(count_events(api, "PlacementReserved", "race"), 3u);
  EXPECT_EQ(count_events(api, "PlacementWaitlisted", "race"), 9u);
  const auto counts = testing::capacity(api, "race", date(2031, 2, 1));
  EXPECT_EQ(counts.open(), 3);
  EXPECT_EQ(counts.reserved(), 3);
  EXPECT_EQ(counts.occupied(), 0);
  EXPECT_EQ(counts.vacant(), 0);
  EXPECT_EQ(counts.waiting(), 9);
  EXPECT_EQ(testing::get_offer(api, "race").waiting(), 9u);
}

TEST(PlacementRace, RacersJoiningTheWaitingListFromTheStartSplitIntoThreeReservedAndNineWaiting) {
  RunningServer server;
  ASSERT_TRUE(server.start()) << server.process.error();
  Clients& api = *server.api;
  ASSERT_TRUE(succeeded(testing::register_offer(api, "race-join", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 3)));
  std::vector<std::string> ids;
  for (int i = 1; i <= 12; ++i) {
    ids.push_back("rj-" + std::to_string(i));
    ASSERT_TRUE(succeeded(
        testing::request_placement(api, RequestSpec(cpr_number(i), "race-join").id(ids.back()).paid_by(kKobenhavn))));
  }
  const auto codes = race_reservations(server.process.address(), ids, date(2031, 2, 1), true);
  std::map<v1::PlacementStatus, int> statuses;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(codes[i], grpc::StatusCode::OK) << ids[i];
    ++statuses[testing::fetch_placement(api, ids[i]).status()];
  }
  EXPECT_EQ(statuses[v1::PLACEMENT_STATUS_RESERVED], 3);
  EXPECT_EQ(statuses[v1::PLACEMENT_STATUS_WAITLISTED], 9);
  EXPECT_EQ(count_events(api, "PlacementReserved", "race-join"), 3u);
  EXPECT_EQ(count_events(api, "PlacementWaitlisted", "race-join"), 9u);
  const auto counts = testing::capacity(api, "race-join", date(2031, 6, 1));
  EXPECT_EQ(counts.reserved(), 3);
  EXPECT_EQ(counts.vacant(), 0);
  EXPECT_EQ(counts.waiting(), 9);
}

// ---- 4. the waiting list ----

TEST(WaitingList, FreedPlaceIsProposedToTheHeadAndGivenOutOfTurnOnlyWithAReason) {
  RunningServer server;
  ASSERT_TRUE(server.start()) << server.process.error();
  Clients& api = *server.api;
  // No places yet: every request waits, in request order.
  ASSERT_TRUE(succeeded(testing::register_offer(
      api, "wl", v1::SPECIALISATION_LEVEL_LET, {v1::TARGET_GROUP_INTELLECTUAL_DISABILITY_WITH_ABUSE_OR_BEHAVIOUR}, 0)));
  const std::vector<std::string> ids = {"wl-b", "wl-c", "wl-d"};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    v1::PlacementResponse response;
    ASSERT_TRUE(succeeded(
        testing::request_placement(api,
                                   RequestSpec(cpr_number(static_cast<int>(i) + 1), "wl")
                                       .id(ids[i])
                                       .paid_by(kKobenhavn)
                                       .level(v1::SPECIALISATION_LEVEL_LET)
                                       .group(v1::TARGET_GROUP_INTELLECTUAL_DISABILITY_WITH_ABUSE_OR_BEHAVIOUR)
                                       .joining_waiting_list(),
                                   &response)));
    EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_WAITLISTED);
    EXPECT_EQ(response.placement().waiting_position(), i + 1);
  }
  EXPECT_FALSE(testing::fetch_placement(api, "wl-b").has_proposed_from());

  // One place opens: the head is proposed it, from its requested start.
  ASSERT_TRUE(succeeded(testing::change_capacity(api, "wl", date(2031, 1, 1), 1)));
  const v1::Placement head_of_list = testing::fetch_placement(api, "wl-b");
  ASSERT_TRUE(head_of_list.has_proposed_from());
  EXPECT_DATE(head_of_list.proposed_from(), date(2031, 2, 1));
  EXPECT_FALSE(testing::fetch_placement(api, "wl-c").has_proposed_from()) << "one place, one proposal";
  EXPECT_EQ(count_events(api, "PlaceProposed", "wl"), 1u);

  // Out of turn without a reason: refused, nothing written.
  auto before = testing::head(api);
  auto status = testing::allocate(api, "wl-c", date(2031, 2, 1));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("wl-b"), std::string::npos) << "names who is first: " << status.error_message();
  EXPECT_EQ(testing::head(api), before);
  EXPECT_EQ(testing::fetch_placement(api, "wl-c").status(), v1::PLACEMENT_STATUS_WAITLISTED);

  // Only the operator allocates.
  v1::AllocatePlaceRequest by_caseworker;
  by_caseworker.set_command_id(testing::fresh_command_id("allocate"));
  by_caseworker.set_placement_id("wl-c");
  *by_caseworker.mutable_from() = date(2031, 2, 1);
  by_caseworker.set_reason("I say so");
  v1::PlacementResponse response;
  EXPECT_EQ(
      api.placements->AllocatePlace(Who::caseworker(kKobenhavn).context().get(), by_caseworker, &response).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // With a reason: recorded on the placement and in the log, with who was passed over.
  const std::string reason = "acute need: the current home closes on 31 January";
  ASSERT_TRUE(succeeded(testing::allocate(api, "wl-c", date(2031, 2, 1), reason, &response)));
  EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_RESERVED);
  EXPECT_EQ(response.placement().allocation_reason(), reason);
  EXPECT_EQ(response.placement().waiting_position(), 0u);
  const auto allocations = testing::read_events(api, {"PlaceAllocated"});
  ASSERT_EQ(allocations.size(), 1u);
  const auto allocated = testing::payload_of<v1::PlaceAllocated>(allocations[0]);
  EXPECT_EQ(allocated.placement_id(), "wl-c");
  EXPECT_EQ(allocated.passed_over_placement_id(), "wl-b");
  EXPECT_EQ(allocated.reason(), reason);
  EXPECT_EQ(testing::fetch_placement(api, "wl-b").waiting_position(), 1u);
  EXPECT_EQ(testing::fetch_placement(api, "wl-d").waiting_position(), 2u);
  auto counts = testing::capacity(api, "wl", date(2031, 2, 1));
  EXPECT_EQ(counts.reserved(), 1);
  EXPECT_EQ(counts.vacant(), 0);
  EXPECT_EQ(counts.waiting(), 2);

  // The offer is full again: even the head cannot be allocated a place that is not there.
  before = testing::head(api);
  EXPECT_EQ(testing::allocate(api, "wl-b", date(2031, 2, 1)).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(testing::head(api), before);

  // Another place: the head gets it in turn, no reason needed.
  ASSERT_TRUE(succeeded(testing::change_capacity(api, "wl", date(2031, 1, 1), 2)));
  ASSERT_TRUE(succeeded(testing::allocate(api, "wl-b", date(2031, 2, 1), "", &response)));
  EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_RESERVED);
  EXPECT_EQ(response.placement().allocation_reason(), "");
  counts = testing::capacity(api, "wl", date(2031, 2, 1));
  EXPECT_EQ(counts.reserved(), 2);
  EXPECT_EQ(counts.waiting(), 1);
  EXPECT_EQ(testing::fetch_placement(api, "wl-d").waiting_position(), 1u);
}

TEST(WaitingList, NobodyReservesDirectlyWhileOthersWait) {
  RunningServer server;
  ASSERT_TRUE(server.start()) << server.process.error();
  Clients& api = *server.api;
  ASSERT_TRUE(succeeded(testing::register_offer(api, "q", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 0)));
  ASSERT_TRUE(
      succeeded(testing::request_placement(api, RequestSpec(cpr_number(1), "q").id("q-first").joining_waiting_list())));
  ASSERT_TRUE(succeeded(testing::change_capacity(api, "q", date(2031, 1, 1), 1)));
  // A later request finds the free place, but it is the waiting citizen's to be offered.
  auto status = testing::request_placement(api, RequestSpec(cpr_number(2), "q").id("q-late"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(testing::capacity(api, "q", date(2031, 2, 1)).vacant(), 1);
}

TEST(WaitingList, AllocatedReservationLapsesAfterTheHoldPeriodAndTheNextInLineIsProposed) {
  RunningServer server({"--hold-seconds", "1", "--expiry-interval-ms", "100"});
  ASSERT_TRUE(server.start()) << server.process.error();
  Clients& api = *server.api;
  ASSERT_TRUE(succeeded(testing::register_offer(api, "exp", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 0)));
  for (const auto& [id, n] : std::vector<std::pair<std::string, int>>{{"exp-1", 1}, {"exp-2", 2}, {"exp-3", 3}}) {
    ASSERT_TRUE(
        succeeded(testing::request_placement(api, RequestSpec(cpr_number(n), "exp").id(id).joining_waiting_list())));
  }
  ASSERT_TRUE(succeeded(testing::change_capacity(api, "exp", date(2031, 1, 1), 1)));
  EXPECT_TRUE(testing::fetch_placement(api, "exp-1").has_proposed_from());

  v1::PlacementResponse response;
  const auto allocated_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(succeeded(testing::allocate(api, "exp-1", date(2031, 2, 1), "", &response)));
  ASSERT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_RESERVED);
  EXPECT_EQ(testing::capacity(api, "exp", date(2031, 2, 1)).reserved(), 1);
  EXPECT_FALSE(testing::fetch_placement(api, "exp-2").has_proposed_from());

  const v1::Placement lapsed =
      wait_for_status(api, "exp-1", v1::PLACEMENT_STATUS_RESERVATION_EXPIRED, std::chrono::seconds(10));
  ASSERT_EQ(lapsed.status(), v1::PLACEMENT_STATUS_RESERVATION_EXPIRED)
      << "still " << v1::PlacementStatus_Name(lapsed.status()) << " after 10 s";
  EXPECT_GE(std::chrono::steady_clock::now() - allocated_at, std::chrono::milliseconds(900))
      << "not before the hold period of 1 s";

  // The place is free again and proposed to the next in line, who is now first.
  const auto counts = testing::capacity(api, "exp", date(2031, 2, 1));
  EXPECT_EQ(counts.reserved(), 0);
  EXPECT_EQ(counts.vacant(), 1);
  EXPECT_EQ(counts.waiting(), 2);
  const v1::Placement next = testing::fetch_placement(api, "exp-2");
  EXPECT_EQ(next.waiting_position(), 1u);
  ASSERT_TRUE(next.has_proposed_from());
  EXPECT_DATE(next.proposed_from(), date(2031, 2, 1));
  EXPECT_FALSE(testing::fetch_placement(api, "exp-3").has_proposed_from());

  const auto expired = testing::read_events(api, {"ReservationExpired"});
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].envelope().actor().role(), v1::ROLE_SYSTEM);
  EXPECT_EQ(testing::payload_of<v1::ReservationExpired>(expired[0]).placement_id(), "exp-1");
  bool proposed_after_expiry = false;
  for (const auto& event : testing::read_events(api, {"PlaceProposed"})) {
    if (event.envelope().position() > expired[0].envelope().position() &&
        testing::payload_of<v1::PlaceProposed>(event).placement_id() == "exp-2")
      proposed_after_expiry = true;
  }
  EXPECT_TRUE(proposed_after_expiry);

  // A lapsed reservation cannot be admitted.
  EXPECT_EQ(testing::admit(api, Who::caseworker(kKobenhavn), "exp-1", date(2031, 2, 1)).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// ---- 5. transfer ----

class TransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.start()) << server_.process.error();
    for (const char* id : {"x", "y"}) {
      ASSERT_TRUE(succeeded(testing::register_offer(api(), id, v1::SPECIALISATION_LEVEL_MODERAT,
                                                    {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 1)));
    }
    ASSERT_TRUE(succeeded(
        testing::request_and_reserve(api(), RequestSpec("150372-3456", "x").id("t-1").starting(date(2031, 2, 1)))));
    ASSERT_TRUE(succeeded(testing::admit(api(), caseworker_, "t-1", date(2031, 2, 1))));
  }
  Clients& api() { return *server_.api; }

  RunningServer server_;
  const Who caseworker_ = Who::caseworker(kKobenhavn);
};

TEST_F(TransferTest, TransferEndsTheStayInTheOldOfferAndStartsOneInTheNewOnTheSameDate) {
  v1::PlacementResponse response;
  ASSERT_TRUE(succeeded(testing::transfer(api(), caseworker_, "t-1", "y", date(2031, 3, 1), &response)));
  const v1::Placement& moved = response.placement();
  EXPECT_EQ(moved.status(), v1::PLACEMENT_STATUS_ADMITTED);
  EXPECT_EQ(moved.offer_id(), "y");
  EXPECT_DATE(moved.hold_from(), date(2031, 3, 1));
  ASSERT_EQ(moved.previous_stays_size(), 1);
  EXPECT_EQ(moved.previous_stays(0).offer_id(), "x");
  EXPECT_DATE(moved.previous_stays(0).from(), date(2031, 2, 1));
  EXPECT_DATE(moved.previous_stays(0).to(), date(2031, 3, 1));

  auto x = testing::capacity(api(), "x", date(2031, 2, 28));
  EXPECT_EQ(x.occupied(), 1);
  EXPECT_EQ(x.vacant(), 0);
  x = testing::capacity(api(), "x", date(2031, 3, 1));
  EXPECT_EQ(x.occupied(), 0);
  EXPECT_EQ(x.vacant(), 1);
  auto y = testing::capacity(api(), "y", date(2031, 2, 28));
  EXPECT_EQ(y.occupied(), 0);
  EXPECT_EQ(y.vacant(), 1);
  y = testing::capacity(api(), "y", date(2031, 3, 1));
  EXPECT_EQ(y.occupied(), 1);
  EXPECT_EQ(y.vacant(), 0);

  const auto transfers = testing::read_events(api(), {"PlacementTransferred"});
  ASSERT_EQ(transfers.size(), 1u);
  const auto event = testing::payload_of<v1::PlacementTransferred>(transfers[0]);
  EXPECT_EQ(event.from_offer_id(), "x");
  EXPECT_EQ(event.to_offer_id(), "y");
  EXPECT_DATE(event.on(), date(2031, 3, 1));

  // Discharged from the new offer: the old stay still counts where it was.
  ASSERT_TRUE(succeeded(testing::discharge(api(), caseworker_, "t-1", date(2031, 5, 1), &response)));
  EXPECT_EQ(testing::capacity(api(), "x", date(2031, 2, 15)).occupied(), 1);
  EXPECT_EQ(testing::capacity(api(), "y", date(2031, 4, 30)).occupied(), 1);
  EXPECT_EQ(testing::capacity(api(), "y", date(2031, 5, 1)).occupied(), 0);
  EXPECT_EQ(response.placement().previous_stays_size(), 1);
}

TEST_F(TransferTest, TransferToAnOfferOfAnotherLevelNotServingTheGroupOrFullIsRefused) {
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "other-level", v1::SPECIALISATION_LEVEL_HOJT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 1)));
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "other-group", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_COMMUNICATION_DISABILITIES}, 1)));
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "no-places", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 0)));
  const auto before = testing::head(api());
  for (const char* to : {"other-level", "other-group", "no-places"}) {
    auto status = testing::transfer(api(), caseworker_, "t-1", to, date(2031, 3, 1));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << to << ": " << status.error_message();
  }
  EXPECT_EQ(testing::transfer(api(), caseworker_, "t-1", "x", date(2031, 3, 1)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "not to the offer it is in";
  EXPECT_EQ(testing::transfer(api(), caseworker_, "t-1", "y", date(2031, 1, 31)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "not before the stay began";
  EXPECT_EQ(testing::transfer(api(), Who::caseworker(kFrederiksberg), "t-1", "y", date(2031, 3, 1)).error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "another municipality's placement answers as an unknown one";
  EXPECT_EQ(testing::head(api()), before);
  const v1::Placement unchanged = testing::fetch_placement(api(), "t-1");
  EXPECT_EQ(unchanged.offer_id(), "x");
  EXPECT_EQ(unchanged.previous_stays_size(), 0);
  EXPECT_EQ(testing::capacity(api(), "x", date(2031, 6, 1)).occupied(), 1);
}

// ---- 6. restart ----

struct Snapshot {
  std::string bytes;
  std::string text;
};

Snapshot snapshot(Clients& api, const std::vector<std::string>& offer_ids) {
  Snapshot out;
  auto add = [&](const google::protobuf::Message& message) {
    out.bytes += message.SerializeAsString();
    out.text += message.DebugString();
  };
  v1::ListOffersRequest all_offers;
  all_offers.set_include_closed(true);
  v1::ListOffersResponse offers;
  EXPECT_TRUE(succeeded(testing::list_all_offers(*api.offers, testing::as_admin, all_offers, &offers)));
  add(offers);
  v1::ListPlacementsResponse placements;
  // The operator of every offer here (1084) sees every placement on them.
  EXPECT_TRUE(succeeded(testing::list_all_placements(
      *api.placements, [] { return testing::as_operator(); }, v1::ListPlacementsRequest(), &placements)));
  add(placements);
  for (const auto& id : offer_ids) {
    for (const auto& on : {date(2031, 1, 15), date(2031, 2, 1), date(2031, 3, 1), date(2031, 4, 1), date(2032, 1, 1)})
      add(testing::capacity(api, id, on));
  }
  return out;
}

TEST(Restart, StopOrKillAndStartAgainRebuildsTheSameState) {
  RunningServer server;
  ASSERT_TRUE(server.start()) << server.process.error();
  {
    Clients& api = *server.api;
    const Who caseworker = Who::caseworker(kKobenhavn);
    ASSERT_TRUE(succeeded(testing::register_offer(api, "r-a", v1::SPECIALISATION_LEVEL_MODERAT,
                                                  {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 2)));
    ASSERT_TRUE(succeeded(testing::register_offer(api, "r-b", v1::SPECIALISATION_LEVEL_MODERAT,
                                                  {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 1)));
    ASSERT_TRUE(succeeded(testing::register_offer(api, "r-closed", v1::SPECIALISATION_LEVEL_MODERAT,
                                                  {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 1)));
    v1::SetRateRequest rate;
    rate.set_command_id(testing::fresh_command_id("rate"));
    rate.set_offer_id("r-a");
    *rate.mutable_effective_from() = date(2031, 1, 1);
    auto* basis = rate.mutable_basis();
    basis->set_budget_year(2031);
    basis->set_direct_and_indirect_costs_ore(250'000'000);
    basis->set_overhead_bp(600);
    basis->set_places(2);
    basis->set_assumed_occupancy_bp(9'600);
    v1::CommandResult result;
    ASSERT_TRUE(succeeded(api.offers->SetRate(testing::as_operator().get(), rate, &result)));

    // Admitted and transferred, admitted and discharged, reserved, waiting with a proposal.
    ASSERT_TRUE(succeeded(testing::request_and_reserve(api, RequestSpec(cpr_number(1), "r-a").id("r-1"))));
    ASSERT_TRUE(succeeded(testing::admit(api, caseworker, "r-1", date(2031, 2, 1))));
    ASSERT_TRUE(succeeded(testing::transfer(api, caseworker, "r-1", "r-b", date(2031, 3, 1))));
    ASSERT_TRUE(succeeded(testing::request_and_reserve(api, RequestSpec(cpr_number(2), "r-a").id("r-2"))));
    ASSERT_TRUE(succeeded(testing::admit(api, caseworker, "r-2", date(2031, 2, 2))));
    ASSERT_TRUE(succeeded(
        testing::request_and_reserve(api, RequestSpec(cpr_number(3), "r-a").id("r-3").starting(date(2031, 3, 1)))));
    ASSERT_TRUE(succeeded(testing::request_placement(
        api, RequestSpec(cpr_number(4), "r-a").id("r-4").paid_by(kFrederiksberg).joining_waiting_list())));
    ASSERT_TRUE(succeeded(testing::discharge(api, caseworker, "r-2", date(2031, 4, 1))));
    ASSERT_TRUE(succeeded(
        testing::request_placement(api, RequestSpec(cpr_number(5), "r-closed").id("r-5").paid_by(kFrederiksberg))));
    // Closing rejects the request still pending there.
    v1::CloseOfferRequest close;
    close.set_command_id(testing::fresh_command_id("close"));
    close.set_offer_id("r-closed");
    *close.mutable_from() = date(2031, 6, 1);
    ASSERT_TRUE(succeeded(api.offers->CloseOffer(testing::as_operator().get(), close, &result)));
  }
  const std::vector<std::string> offers = {"r-a", "r-b", "r-closed"};
  const Snapshot before = snapshot(*server.api, offers);
  ASSERT_NE(before.text.find("r-4"), std::string::npos);
  ASSERT_NE(before.text.find("proposed_from"), std::string::npos) << before.text;
  ASSERT_NE(before.text.find("PLACEMENT_STATUS_REJECTED"), std::string::npos) << before.text;
  ASSERT_NE(before.text.find("previous_stays"), std::string::npos) << before.text;

  EXPECT_EQ(server.process.stop(), 0);
  ASSERT_TRUE(server.start()) << server.process.error();
  const Snapshot after_stop = snapshot(*server.api, offers);
  EXPECT_EQ(after_stop.bytes, before.bytes) << "before:\n" << before.text << "\nafter SIGTERM:\n" << after_stop.text;

  server.process.kill();
  ASSERT_TRUE(server.start()) << server.process.error();
  const Snapshot after_kill = snapshot(*server.api, offers);
  EXPECT_EQ(after_kill.bytes, before.bytes) << "before:\n" << before.text << "\nafter SIGKILL:\n" << after_kill.text;
}

// ---- 7. personal data ----

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every file under `root` holding one of the needles, with the needle.
std::vector<std::string> files_containing(const std::filesystem::path& root, const std::vector<std::string>& needles) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = read_bytes(entry.path());
    for (const auto& needle : needles)
      if (bytes.find(needle) != std::string::npos) found.push_back(entry.path().string() + " holds " + needle);
  }
  return found;
}

std::vector<std::string> with_and_without_dash(const std::vector<std::string>& cprs) {
  std::vector<std::string> needles;
  for (const auto& cpr : cprs) {
    needles.push_back(cpr);
    needles.push_back(cpr.substr(0, 6) + cpr.substr(7));
  }
  return needles;
}

TEST(PersonalData, NoCprNumberReachesTheDataFolderOrTheServerOutput) {
  RunningServer server({"--log-level", "debug"});
  ASSERT_TRUE(server.start()) << server.process.error();
  Clients& api = *server.api;
  const std::vector<std::string> cprs = {"010190-1234", "020285-2345", "120615-4321", "050560-1122"};
  ASSERT_TRUE(succeeded(testing::register_offer(
      api, "pd", v1::SPECIALISATION_LEVEL_MODERAT,
      {v1::TARGET_GROUP_MULTIPLE_DISABILITIES, v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES}, 1)));
  ASSERT_TRUE(succeeded(testing::request_and_reserve(api, RequestSpec(cprs[0], "pd").id("pd-1"))));
  ASSERT_TRUE(succeeded(testing::admit(api, Who::caseworker(kKobenhavn), "pd-1", date(2031, 2, 1))));
  // Given without the dash, and waiting.
  ASSERT_TRUE(
      succeeded(testing::request_placement(api, RequestSpec("0202852345", "pd").id("pd-2").joining_waiting_list())));
  // A child with a household reference (a parent's CPR number).
  auto child = testing::request_placement_request(RequestSpec(cprs[2], "pd")
                                                      .id("pd-3")
                                                      .group(v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES)
                                                      .joining_waiting_list());
  child.set_household_reference(cprs[3]);
  v1::PlacementResponse response;
  ASSERT_TRUE(
      succeeded(api.placements->RequestPlacement(Who::caseworker(kKobenhavn).context().get(), child, &response)));
  // Refused commands and searches by CPR number are logged too; their text must not carry it.
  EXPECT_EQ(testing::request_placement(api, RequestSpec(cprs[0], "pd").id("pd-4")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "one active placement per citizen and offer";
  v1::ListPlacementsRequest by_cpr;
  by_cpr.set_cpr(cprs[0]);
  v1::ListPlacementsResponse listed;
  const auto kobenhavn = [] { return Who::caseworker(kKobenhavn).context(); };
  ASSERT_TRUE(succeeded(testing::list_all_placements(*api.placements, kobenhavn, by_cpr, &listed)));
  ASSERT_EQ(listed.placements_size(), 1);
  EXPECT_EQ(listed.placements(0).placement_id(), "pd-1");
  EXPECT_EQ(listed.placements(0).DebugString().find("1234"), std::string::npos);

  const auto needles = with_and_without_dash(cprs);
  EXPECT_EQ(files_containing(server.dir.path(), needles), std::vector<std::string>{}) << "while running";
  for (const auto& needle : needles)
    EXPECT_EQ(server.process.output().find(needle), std::string::npos) << needle << " in\n" << server.process.output();
  EXPECT_EQ(server.process.stop(), 0);
  EXPECT_EQ(files_containing(server.dir.path(), needles), std::vector<std::string>{}) << "after shutdown";
  // The placement was written: the search looked at a log that has it.
  ASSERT_TRUE(server.start()) << server.process.error();
  EXPECT_EQ(testing::fetch_placement(*server.api, "pd-3").age_at_start(), 15);
}

TEST(PersonalData, InvalidCprNumberIsRefusedWithoutEchoingItsDigits) {
  RunningServer server;
  ASSERT_TRUE(server.start()) << server.process.error();
  Clients& api = *server.api;
  ASSERT_TRUE(succeeded(testing::register_offer(api, "cpr", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 1)));
  const auto before = testing::head(api);
  const std::vector<std::string> invalid = {"3102901234",    "310290-1234", "01019O1234", "010190123",
                                            "0101901234567", "010190 1234", "",           "991390-1234"};
  for (const std::string& cpr : invalid) {
    auto status = testing::request_placement(api, RequestSpec(cpr, "cpr"));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << "'" << cpr << "': " << status.error_message();
    EXPECT_NE(status.error_message().find("CPR"), std::string::npos) << status.error_message();
    if (cpr.size() >= 6) {
      EXPECT_EQ(status.error_message().find(cpr.substr(0, 6)), std::string::npos) << status.error_message();
      EXPECT_EQ(status.error_message().find(cpr.substr(cpr.size() - 4)), std::string::npos) << status.error_message();
    }
    v1::ListPlacementsRequest by_cpr;
    by_cpr.set_cpr(cpr);
    v1::ListPlacementsResponse listed;
    if (!cpr.empty()) {
      status = api.placements->ListPlacements(Who::caseworker(kKobenhavn).context().get(), by_cpr, &listed);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << "'" << cpr << "'";
    }
  }
  EXPECT_EQ(testing::head(api), before);
  for (const std::string& cpr : invalid) {
    if (cpr.size() >= 9) {
      EXPECT_EQ(server.process.output().find(cpr), std::string::npos) << server.process.output();
    }
  }
}

// ---- 8. authorization and bad input ----

class PlacementRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.start()) << server_.process.error();
    ASSERT_TRUE(succeeded(testing::register_offer(api(), "kbh", v1::SPECIALISATION_LEVEL_MODERAT,
                                                  {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 2)));
  }
  Clients& api() { return *server_.api; }

  RunningServer server_;
};

TEST_F(PlacementRulesTest, CaseworkerCannotActOnAnotherMunicipalitysPlacements) {
  ASSERT_TRUE(succeeded(testing::request_placement(api(), RequestSpec("010190-1234", "kbh").id("kbh-1"))));
  const Who other = Who::caseworker(kFrederiksberg);
  const auto before = testing::head(api());

  v1::PlacementResponse response;
  auto for_kobenhavn =
      testing::request_placement_request(RequestSpec("020285-2345", "kbh").id("kbh-2").paid_by(kKobenhavn));
  EXPECT_EQ(api().placements->RequestPlacement(other.context().get(), for_kobenhavn, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Another municipality's placement answers as an unknown one would: no existence oracle.
  EXPECT_EQ(testing::reserve(api(), other, "kbh-1", date(2031, 2, 1)).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(testing::admit(api(), other, "kbh-1", date(2031, 2, 1)).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::WithdrawPlacementRequest withdraw;
  withdraw.set_command_id(testing::fresh_command_id("withdraw"));
  withdraw.set_placement_id("kbh-1");
  const auto withdrawn = api().placements->WithdrawPlacement(other.context().get(), withdraw, &response);
  EXPECT_EQ(withdrawn.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(withdrawn.error_message(), "placement 'kbh-1' does not exist");
  v1::Placement seen;
  auto status = testing::get_placement(api(), other, "kbh-1", &seen);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "placement 'kbh-1' does not exist");
  v1::Placement unknown;
  EXPECT_EQ(testing::get_placement(api(), other, "kbh-unknown", &unknown).error_message(),
            "placement 'kbh-unknown' does not exist");
  EXPECT_TRUE(seen.placement_id().empty());

  v1::ListPlacementsResponse listed;
  v1::ListPlacementsRequest of_kobenhavn;
  of_kobenhavn.set_paying_municipality_code(kKobenhavn);
  EXPECT_EQ(api().placements->ListPlacements(other.context().get(), of_kobenhavn, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const auto as_other = [&other] { return other.context(); };
  ASSERT_TRUE(
      succeeded(testing::list_all_placements(*api().placements, as_other, v1::ListPlacementsRequest(), &listed)));
  EXPECT_EQ(listed.placements_size(), 0) << "a caseworker sees only their own municipality's placements";
  v1::ListPlacementsRequest by_offer;
  by_offer.set_offer_id("kbh");
  ASSERT_TRUE(succeeded(testing::list_all_placements(*api().placements, as_other, by_offer, &listed)));
  EXPECT_EQ(listed.placements_size(), 0);

  // Planners and auditors never see a citizen.
  EXPECT_EQ(testing::get_placement(api(), {"planner", 0}, "kbh-1", &seen).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(testing::get_placement(api(), Who::auditor(), "kbh-1", &seen).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  EXPECT_EQ(testing::head(api()), before) << "nothing written";
  // The own municipality's caseworker still sees it, unchanged.
  ASSERT_TRUE(succeeded(testing::get_placement(api(), Who::caseworker(kKobenhavn), "kbh-1", &seen)));
  EXPECT_EQ(seen.status(), v1::PLACEMENT_STATUS_REQUESTED);
  ASSERT_TRUE(succeeded(testing::list_all_placements(
      *api().placements, [] { return Who::caseworker(kKobenhavn).context(); }, v1::ListPlacementsRequest(), &listed)));
  EXPECT_EQ(listed.placements_size(), 1);
}

TEST_F(PlacementRulesTest, CallsWithoutIdentityAreUnauthenticated) {
  const auto before = testing::head(api());
  v1::PlacementResponse response;
  grpc::ClientContext anonymous;
  EXPECT_EQ(
      api()
          .placements
          ->RequestPlacement(
              &anonymous, testing::request_placement_request(RequestSpec("010190-1234", "kbh").id("anon")), &response)
          .error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext anonymous_read;
  v1::GetPlacementRequest get;
  get.set_placement_id("anon");
  v1::Placement seen;
  EXPECT_EQ(api().placements->GetPlacement(&anonymous_read, get, &seen).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // A caseworker who does not say which municipality.
  EXPECT_EQ(api()
                .placements
                ->RequestPlacement(testing::as("caseworker").get(),
                                   testing::request_placement_request(RequestSpec("010190-1234", "kbh").id("anon")),
                                   &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext anonymous_capacity;
  v1::GetCapacityRequest capacity;
  capacity.set_offer_id("kbh");
  *capacity.mutable_date() = date(2031, 2, 1);
  v1::PlaceCounts counts;
  EXPECT_EQ(api().offers->GetCapacity(&anonymous_capacity, capacity, &counts).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(testing::head(api()), before);
}

TEST_F(PlacementRulesTest, AdultsAreRefusedInTheChildrenOnlyTargetGroups) {
  ASSERT_TRUE(succeeded(testing::register_offer(
      api(), "born", v1::SPECIALISATION_LEVEL_HOJT,
      {v1::TARGET_GROUP_CHILDREN_WITH_EXTENSIVE_SOCIAL_PROBLEMS, v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES},
      2)));
  const auto before = testing::head(api());
  auto child_request = [&](const std::string& id, const std::string& cpr, v1::TargetGroup group) {
    return testing::request_placement(
        api(),
        RequestSpec(cpr, "born").id(id).level(v1::SPECIALISATION_LEVEL_HOJT).group(group).starting(date(2031, 2, 1)));
  };
  auto status = child_request("adult-5", "010190-1234", v1::TARGET_GROUP_CHILDREN_WITH_EXTENSIVE_SOCIAL_PROBLEMS);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_NE(status.error_message().find("18"), std::string::npos) << status.error_message();
  EXPECT_EQ(child_request("adult-6", "010190-1234", v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // Born 1 February 2013: 18 on the requested start, 1 February 2031.
  EXPECT_EQ(child_request("just-18", "010213-4111", v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(testing::head(api()), before);

  // Born a day later: still 17.
  v1::PlacementResponse response;
  ASSERT_TRUE(succeeded(testing::request_placement(api(),
                                                   RequestSpec("020213-4111", "born")
                                                       .id("just-17")
                                                       .level(v1::SPECIALISATION_LEVEL_HOJT)
                                                       .group(v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES),
                                                   &response)));
  EXPECT_EQ(response.placement().age_at_start(), 17);
  EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_REQUESTED);
}

TEST_F(PlacementRulesTest, BadRequestsAreRefusedWithTheRightCodeAndWriteNothing) {
  const auto before = testing::head(api());
  v1::PlacementResponse response;
  // Unknown paying municipality, by a caseworker claiming it.
  auto unknown = testing::request_placement_request(RequestSpec("010190-1234", "kbh").id("u-1").paid_by(998));
  auto status = api().placements->RequestPlacement(testing::as_caseworker(998).get(), unknown, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("998"), std::string::npos) << status.error_message();
  EXPECT_EQ(testing::request_placement(api(), RequestSpec("010190-1234", "kbh").id("u-1").paid_by(998)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Wrong level, group the offer does not serve, unknown offer, unspecified group, missing date.
  EXPECT_EQ(testing::request_placement(api(),
                                       RequestSpec("010190-1234", "kbh").id("u-2").level(v1::SPECIALISATION_LEVEL_HOJT))
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(testing::request_placement(
                api(), RequestSpec("010190-1234", "kbh").id("u-3").group(v1::TARGET_GROUP_COMMUNICATION_DISABILITIES))
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // A request naming an offer that does not exist cannot be carried out.
  EXPECT_EQ(testing::request_placement(api(), RequestSpec("010190-1234", "nowhere").id("u-4")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(
      testing::request_placement(api(), RequestSpec("010190-1234", "kbh").id("u-5").group(v1::TARGET_GROUP_UNSPECIFIED))
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(testing::request_placement(api(), RequestSpec("010190-1234", "kbh").id("u-6").starting(v1::CalendarDate()))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(testing::request_placement(api(), RequestSpec("010190-1234", "kbh").id("u-7").starting(date(2031, 2, 30)))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // A start before the citizen was born.
  EXPECT_EQ(testing::request_placement(api(), RequestSpec("010190-1234", "kbh").id("u-8").starting(date(1989, 12, 31)))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // No command id.
  auto no_command_id = testing::request_placement_request(RequestSpec("010190-1234", "kbh").id("u-9"));
  no_command_id.set_command_id("");
  EXPECT_EQ(api()
                .placements->RequestPlacement(Who::caseworker(kKobenhavn).context().get(), no_command_id, &response)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Commands on a placement that does not exist.
  EXPECT_EQ(testing::admit(api(), Who::caseworker(kKobenhavn), "nobody", date(2031, 2, 1)).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(testing::head(api()), before);
}

TEST_F(PlacementRulesTest, OneActivePlacementPerCitizenAndOffer) {
  ASSERT_TRUE(succeeded(testing::request_placement(api(), RequestSpec("010190-1234", "kbh").id("once"))));
  const auto before = testing::head(api());
  // The same citizen, written without the dash, by another municipality's caseworker too.
  EXPECT_EQ(testing::request_placement(api(), RequestSpec("0101901234", "kbh").id("twice")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(testing::request_placement(api(), RequestSpec("010190-1234", "kbh").id("twice").paid_by(kFrederiksberg))
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(testing::request_placement(api(), RequestSpec("020285-2345", "kbh").id("once")).error_code(),
            grpc::StatusCode::ALREADY_EXISTS)
      << "a placement id is taken once";
  EXPECT_EQ(testing::head(api()), before);
  // After withdrawing, the citizen may ask again.
  v1::WithdrawPlacementRequest withdraw;
  withdraw.set_command_id(testing::fresh_command_id("withdraw"));
  withdraw.set_placement_id("once");
  withdraw.set_reason("the family moved");
  v1::PlacementResponse response;
  ASSERT_TRUE(
      succeeded(api().placements->WithdrawPlacement(Who::caseworker(kKobenhavn).context().get(), withdraw, &response)));
  EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_WITHDRAWN);
  EXPECT_EQ(response.placement().end_reason(), "the family moved");
  EXPECT_TRUE(succeeded(testing::request_placement(api(), RequestSpec("010190-1234", "kbh").id("again"))));
}

TEST_F(PlacementRulesTest, DischargeBeforeTheAdmissionDateIsRefused) {
  const Who caseworker = Who::caseworker(kKobenhavn);
  ASSERT_TRUE(succeeded(
      testing::request_and_reserve(api(), RequestSpec("010190-1234", "kbh").id("d-1").starting(date(2031, 2, 1)))));
  ASSERT_TRUE(succeeded(testing::admit(api(), caseworker, "d-1", date(2031, 2, 10))));
  const auto before = testing::head(api());
  auto status = testing::discharge(api(), caseworker, "d-1", date(2031, 2, 9));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(testing::head(api()), before);
  EXPECT_EQ(testing::fetch_placement(api(), "d-1").status(), v1::PLACEMENT_STATUS_ADMITTED);
  // Discharged on the admission day: the stay occupied no day at all.
  v1::PlacementResponse response;
  ASSERT_TRUE(succeeded(testing::discharge(api(), caseworker, "d-1", date(2031, 2, 10), &response)));
  EXPECT_EQ(response.placement().status(), v1::PLACEMENT_STATUS_DISCHARGED);
  EXPECT_EQ(testing::capacity(api(), "kbh", date(2031, 2, 10)).occupied(), 0);
}

TEST_F(PlacementRulesTest, RetriedCommandIdReturnsTheFirstResultAndWritesNothing) {
  auto request =
      testing::request_placement_request(RequestSpec("010190-1234", "kbh").id("retry-1").command("cmd-retry-request"));
  v1::PlacementResponse first;
  ASSERT_TRUE(
      succeeded(api().placements->RequestPlacement(Who::caseworker(kKobenhavn).context().get(), request, &first)));
  EXPECT_FALSE(first.result().duplicate());
  const auto head_after_first = testing::head(api());
  EXPECT_EQ(first.result().last_position(), head_after_first);

  v1::PlacementResponse again;
  ASSERT_TRUE(
      succeeded(api().placements->RequestPlacement(Who::caseworker(kKobenhavn).context().get(), request, &again)));
  EXPECT_TRUE(again.result().duplicate());
  EXPECT_EQ(again.result().first_position(), first.result().first_position());
  EXPECT_EQ(again.result().last_position(), first.result().last_position());
  EXPECT_EQ(again.placement().placement_id(), "retry-1");
  EXPECT_EQ(testing::head(api()), head_after_first);

  // The same for a command on the placement, even after the state moved on.
  auto reserve = testing::reserve_request("retry-1", date(2031, 2, 1));
  v1::PlacementResponse reserved;
  ASSERT_TRUE(
      succeeded(api().placements->ReservePlace(Who::caseworker(kKobenhavn).context().get(), reserve, &reserved)));
  EXPECT_FALSE(reserved.result().duplicate());
  const auto head_after_reserve = testing::head(api());
  v1::PlacementResponse reserved_again;
  ASSERT_TRUE(
      succeeded(api().placements->ReservePlace(Who::caseworker(kKobenhavn).context().get(), reserve, &reserved_again)));
  EXPECT_TRUE(reserved_again.result().duplicate());
  EXPECT_EQ(reserved_again.result().first_position(), reserved.result().first_position());
  EXPECT_EQ(reserved_again.placement().status(), v1::PLACEMENT_STATUS_RESERVED);
  EXPECT_EQ(testing::head(api()), head_after_reserve);
  EXPECT_EQ(count_events(api(), "PlacementReserved", "kbh"), 1u);

  // An offer command too.
  testing::OfferSpec spec;
  spec.offer_id = "retry-offer";
  auto offer = testing::register_offer_request(spec);
  v1::CommandResult registered;
  v1::CommandResult registered_again;
  ASSERT_TRUE(succeeded(api().offers->RegisterOffer(testing::as_operator().get(), offer, &registered)));
  ASSERT_TRUE(succeeded(api().offers->RegisterOffer(testing::as_operator().get(), offer, &registered_again)));
  EXPECT_FALSE(registered.duplicate());
  EXPECT_TRUE(registered_again.duplicate());
  EXPECT_EQ(registered_again.first_position(), registered.first_position());
  EXPECT_EQ(testing::head(api()), registered.last_position());
}

TEST_F(PlacementRulesTest, CommandIdUsedByAnotherCallerIsRefusedNotAnsweredAsItsRetry) {
  v1::PlacementResponse first;
  ASSERT_TRUE(succeeded(api().placements->RequestPlacement(
      Who::caseworker(kKobenhavn).context().get(),
      testing::request_placement_request(RequestSpec("010190-1234", "kbh").command("shared-command-id")), &first)));
  const auto before = testing::head(api());

  // Frederiksberg happens to choose the same command id for its own citizen: that is not a retry
  // of København's command, and must not answer with København's placement.
  v1::PlacementResponse second;
  auto status = api().placements->RequestPlacement(
      Who::caseworker(kFrederiksberg).context().get(),
      testing::request_placement_request(
          RequestSpec("020285-2345", "kbh").paid_by(kFrederiksberg).command("shared-command-id")),
      &second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  EXPECT_NE(second.placement().paying_municipality_code(), kKobenhavn) << second.DebugString();
  EXPECT_EQ(testing::head(api()), before);

  // The same holds for a command on a placement: another caseworker of the same municipality
  // reusing the first one's command id.
  auto reserve = testing::reserve_request(first.placement().placement_id(), date(2031, 2, 1));
  reserve.set_command_id("shared-reserve-id");
  v1::PlacementResponse reserved;
  ASSERT_TRUE(
      succeeded(api().placements->ReservePlace(Who::caseworker(kKobenhavn).context().get(), reserve, &reserved)));
  v1::PlacementResponse by_colleague;
  EXPECT_EQ(
      api()
          .placements->ReservePlace(testing::as("caseworker", kKobenhavn, "a-colleague").get(), reserve, &by_colleague)
          .error_code(),
      grpc::StatusCode::ALREADY_EXISTS);
  // The original caller's retry is still a retry.
  v1::PlacementResponse retried;
  ASSERT_TRUE(
      succeeded(api().placements->ReservePlace(Who::caseworker(kKobenhavn).context().get(), reserve, &retried)));
  EXPECT_TRUE(retried.result().duplicate());
}

TEST_F(PlacementRulesTest, ServerChoosesThePlacementIdAndARetryGetsTheSameOne) {
  auto request =
      testing::request_placement_request(RequestSpec("010190-1234", "kbh").id("").command("cmd-server-chosen"));
  v1::PlacementResponse first;
  ASSERT_TRUE(
      succeeded(api().placements->RequestPlacement(Who::caseworker(kKobenhavn).context().get(), request, &first)));
  const std::string id = first.placement().placement_id();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(first.placement().status(), v1::PLACEMENT_STATUS_REQUESTED);
  const auto head_after_first = testing::head(api());

  v1::PlacementResponse again;
  ASSERT_TRUE(
      succeeded(api().placements->RequestPlacement(Who::caseworker(kKobenhavn).context().get(), request, &again)));
  EXPECT_TRUE(again.result().duplicate());
  EXPECT_EQ(again.placement().placement_id(), id);
  EXPECT_EQ(testing::head(api()), head_after_first);
  EXPECT_EQ(testing::fetch_placement(api(), id).status(), v1::PLACEMENT_STATUS_REQUESTED);

  // Another command gets another id.
  v1::PlacementResponse other;
  ASSERT_TRUE(succeeded(testing::request_placement(api(), RequestSpec("020285-2345", "kbh"), &other)));
  EXPECT_FALSE(other.placement().placement_id().empty());
  EXPECT_NE(other.placement().placement_id(), id);
}

}  // namespace
}  // namespace placement
