// Rebuild equals live: a long random scenario (thousands of events) driven through gRPC by a few
// seeded client threads; every view is read live, as of the head position, and again after
// restarts: from the snapshot taken at shutdown, from a periodic snapshot after a SIGKILL, and with
// snapshots ignored (the whole log replayed). All must be equal byte for byte.

#include <atomic>
#include <cstdlib>
#include <random>
#include <regex>
#include <thread>

#include "tests/integration/planning/planning_fixture.h"
#include "tests/support/reference_events.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;

constexpr int kYear = 2031;
constexpr int kThreads = 4;

// Commands per thread; PLANNING_REBUILD_COMMANDS overrides (the default keeps the test well under a
// minute on a loaded two-core machine).
int commands_per_thread() {
  if (const char* text = std::getenv("PLANNING_REBUILD_COMMANDS")) return std::max(1, std::atoi(text));
  return 1000;
}

struct OfferPlan {
  std::string id;
  v1::FinancingModel model;
  std::int32_t share_bp;
  std::uint32_t operator_code;
  std::uint32_t catchment;
  v1::SpecialisationLevel level;
  v1::TargetGroup group;
};

const std::vector<OfferPlan>& offers() {
  static const std::vector<OfferPlan> plans = [] {
    std::vector<OfferPlan> out;
    const v1::FinancingModel models[] = {v1::FINANCING_MODEL_TAKST, v1::FINANCING_MODEL_BASIS,
                                         v1::FINANCING_MODEL_OBJEKTIV, v1::FINANCING_MODEL_MIXED};
    const std::uint32_t operators[] = {1084, 101, 1085, 1081, 851, 1082};
    const std::uint32_t catchments[] = {1084, 1084, 1085, 1081, 0, 1082};
    for (int i = 0; i < 12; ++i) {
      OfferPlan plan;
      plan.id = "offer-" + std::to_string(i);
      plan.model = models[i % 4];
      plan.share_bp = plan.model == v1::FINANCING_MODEL_MIXED ? 2'500 + 500 * i : 0;
      plan.operator_code = operators[i % 6];
      plan.catchment = catchments[i % 6];
      plan.level = i % 3 == 0 ? v1::SPECIALISATION_LEVEL_HOJT : v1::SPECIALISATION_LEVEL_MODERAT;
      plan.group =
          i % 2 == 0 ? v1::TARGET_GROUP_MULTIPLE_DISABILITIES : v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR;
      out.push_back(plan);
    }
    return out;
  }();
  return plans;
}

class RebuildTest : public testing::PlanningTest {
 protected:
  // Where the last start began: the snapshot position (0: the first event) and the events replayed
  // after it, from the server's "replayed N events after position P" line.
  struct StartedFrom {
    std::uint64_t snapshot = 0;
    std::uint64_t replayed = 0;
  };
  StartedFrom last_start() {
    static const std::regex line(R"(replayed (\d+) events after position (\d+))");
    const std::string output = server_.output();
    StartedFrom found{~0ull, ~0ull};
    for (auto it = std::sregex_iterator(output.begin(), output.end(), line); it != std::sregex_iterator(); ++it)
      found = {std::stoull((*it)[2]), std::stoull((*it)[1])};
    return found;
  }
  // The position of the newest periodic snapshot the server has logged (0: none yet).
  std::uint64_t newest_snapshot_logged() {
    static const std::regex line(R"(snapshot of the read model at position (\d+))");
    const std::string output = server_.output();
    std::uint64_t newest = 0;
    for (auto it = std::sregex_iterator(output.begin(), output.end(), line); it != std::sregex_iterator(); ++it)
      newest = std::max<std::uint64_t>(newest, std::stoull((*it)[1]));
    return newest;
  }
  void restart_with(std::vector<std::string> args) {
    server_.set_extra_args(std::move(args));
    ASSERT_NO_FATAL_FAILURE(restart());
  }
  void crash_and_start() {
    planning_.reset();
    api_.reset();
    server_.kill();
    ASSERT_NO_FATAL_FAILURE(start());
  }
  void drive_all(int commands_each) {
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back(&RebuildTest::drive, server_.channel(), t, commands_each, &failures);
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
  }

  void register_offers() {
    for (const auto& plan : offers()) {
      auto request = testing::register_offer_request([&] {
        testing::OfferSpec spec;
        spec.offer_id = plan.id;
        spec.level = plan.level;
        spec.groups = {plan.group};
        spec.operator_code = plan.operator_code;
        spec.catchment_region_code = plan.catchment;
        spec.financing = plan.model;
        return spec;
      }());
      request.mutable_financing()->set_objective_share_bp(plan.share_bp);
      v1::CommandResult result;
      ASSERT_TRUE(succeeded(api().offers->RegisterOffer(testing::as_operator_of(request).get(), request, &result)))
          << plan.id;
      ASSERT_TRUE(succeeded(testing::change_capacity(api(), plan.id, date(kYear, 1, 1), 40)));
      v1::SetRateRequest rate;
      rate.set_command_id("rate-" + plan.id);
      rate.set_offer_id(plan.id);
      *rate.mutable_effective_from() = date(kYear, 1, 1);
      rate.set_daily_rate_ore(150'000 + 7'919 * static_cast<std::int64_t>(plan.id.size() + plan.share_bp));
      if (plan.model == v1::FINANCING_MODEL_BASIS) rate.set_daily_copayment_rate_ore(40'000);
      ASSERT_TRUE(succeeded(api().offers->SetRate(testing::as_operator(plan.operator_code).get(), rate, &result)))
          << plan.id;
    }
    for (std::uint32_t region : {1081u, 1082u, 1083u, 1084u, 1085u})
      ASSERT_TRUE(succeeded(set_block_grant(region, kYear, 50'000'000'00, "grant-" + std::to_string(region))));
  }

  // One client thread's seeded mix: requests (reserved and mostly admitted), discharges, capacity
  // and rate changes, income. Refusals by the domain (no vacant place …) are part of the mix.
  static void drive(std::shared_ptr<grpc::Channel> channel, int thread, int commands, std::atomic<int>* failures) {
    testing::Clients api(channel);
    auto planning = v1::PlanningService::NewStub(channel);
    std::mt19937 random(static_cast<std::uint32_t>(7919 * (thread + 1)));
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<std::uint32_t>(n)); };
    const std::uint32_t municipalities[] = {101, 147, 151, 253, 410, 615, 773, 851};
    struct Live {
      std::string id;
      std::uint32_t municipality;
      int admitted_day;  // day of year, -1 while only reserved
    };
    std::vector<Live> live;
    int serial = 0;
    for (int n = 0; n < commands; ++n) {
      const int roll = pick(100);
      grpc::Status status;
      if (roll < 45 || live.empty()) {
        const auto& plan = offers()[static_cast<std::size_t>(pick(static_cast<int>(offers().size())))];
        const std::uint32_t paying = municipalities[pick(8)];
        const int month = 1 + pick(10);
        const int day = 1 + pick(28);
        ++serial;
        const std::string id = "t" + std::to_string(thread) + "-" + std::to_string(serial);
        // A valid CPR number per placement: born in the 1970s (7th digit 1-3: 1900s).
        const std::string cpr = (day < 10 ? "0" : "") + std::to_string(day) + (month < 10 ? "0" : "") +
                                std::to_string(month) + "7" + std::to_string(thread) + "-" +
                                std::to_string(1000 + serial);
        testing::RequestSpec spec(cpr, plan.id);
        spec.id(id).paid_by(paying).level(plan.level).group(plan.group).starting(date(kYear, month, day));
        if (pick(4) == 0) spec.joining_waiting_list();
        v1::PlacementResponse requested;
        status = testing::request_placement(api, spec, &requested);
        if (status.ok() && requested.placement().status() != v1::PLACEMENT_STATUS_WAITLISTED) {
          status = testing::reserve(api, testing::Who::caseworker(paying), id, date(kYear, month, day));
          if (status.ok() && pick(5) != 0) {
            status = testing::admit(api, testing::Who::caseworker(paying), id, date(kYear, month, day));
            if (status.ok()) live.push_back({id, paying, (month - 1) * 31 + day});
          }
        }
      } else if (roll < 75) {
        const std::size_t which = static_cast<std::size_t>(pick(static_cast<int>(live.size())));
        const Live placement = live[which];
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(which));
        status = testing::discharge(api, testing::Who::caseworker(placement.municipality), placement.id,
                                    date(kYear, 11, 1 + pick(28)));
      } else if (roll < 88) {
        const auto& plan = offers()[static_cast<std::size_t>(pick(static_cast<int>(offers().size())))];
        status = testing::change_capacity(api, plan.id, date(kYear, 1 + pick(12), 1 + pick(28)), 25 + pick(30));
      } else if (roll < 94) {
        const auto& plan = offers()[static_cast<std::size_t>(pick(static_cast<int>(offers().size())))];
        v1::SetRateRequest rate;
        rate.set_command_id(testing::fresh_command_id("rate-" + plan.id));
        rate.set_offer_id(plan.id);
        *rate.mutable_effective_from() = date(kYear, 1 + pick(12), 1);
        rate.set_daily_rate_ore(100'000 + pick(200'000));
        if (plan.model == v1::FINANCING_MODEL_BASIS) rate.set_daily_copayment_rate_ore(pick(50'000));
        v1::CommandResult result;
        status = api.offers->SetRate(testing::as_operator(plan.operator_code).get(), rate, &result);
      } else {
        const Live& placement = live[static_cast<std::size_t>(pick(static_cast<int>(live.size())))];
        v1::RecordIncomeRequest income;
        income.set_command_id(testing::fresh_command_id("income-" + placement.id));
        income.set_placement_id(placement.id);
        income.set_year(kYear);
        income.set_month(static_cast<std::uint32_t>(1 + pick(12)));
        income.set_user_payments_ore(pick(1'000'000));
        income.set_other_refunds_ore(pick(1'000'000));
        v1::CommandResult result;
        status = planning->RecordIncome(testing::as_admin().get(), income, &result);
      }
      // Domain refusals are expected in a random mix; transport or server faults are not.
      if (!status.ok() && status.error_code() != grpc::StatusCode::FAILED_PRECONDITION &&
          status.error_code() != grpc::StatusCode::ABORTED && status.error_code() != grpc::StatusCode::INVALID_ARGUMENT)
        ++*failures;
    }
  }
};

TEST_F(RebuildTest, ViewsRebuiltFromTheLogEqualTheLiveViewsByteForByte) {
  ASSERT_NO_FATAL_FAILURE(register_offers());
  drive_all(commands_per_thread());

  const std::uint64_t head = testing::head(api());
  EXPECT_GT(head, testing::kReferenceEvents + 2'500u) << "thousands of events";
  RecordProperty("log_head", std::to_string(head));
  const auto live = all_views(0, kYear);
  const auto capacity_now = capacity(date(kYear, 6, 1), {v1::GROUP_FIELD_OFFER});
  ASSERT_EQ(capacity_now.position(), head);
  EXPECT_GT(capacity_now.total().occupied(), 0);
  EXPECT_EQ(all_views(head, kYear), live) << "as of the head = live";
  const std::uint64_t middle = testing::kReferenceEvents + (head - testing::kReferenceEvents) / 2;
  const auto past = all_views(middle, kYear);
  EXPECT_NE(past, live);

  ASSERT_NO_FATAL_FAILURE(restart());
  EXPECT_EQ(last_start().snapshot, head) << "a clean stop leaves a snapshot of the head";
  EXPECT_EQ(last_start().replayed, 0u);
  EXPECT_EQ(testing::head(api()), head);
  EXPECT_EQ(all_views(0, kYear), live) << "started from the snapshot = live";
  EXPECT_EQ(all_views(middle, kYear), past) << "time travel after a restart = before";

  ASSERT_NO_FATAL_FAILURE(restart_with({"--ignore-snapshots"}));
  EXPECT_EQ(last_start().snapshot, 0u);
  EXPECT_EQ(last_start().replayed, head);
  EXPECT_EQ(all_views(0, kYear), live) << "rebuilt from the whole log = live";
  EXPECT_EQ(all_views(middle, kYear), past);
}

TEST_F(RebuildTest, AfterACrashAPeriodicSnapshotAndTheLogAfterItEqualTheWholeLog) {
  ASSERT_NO_FATAL_FAILURE(restart_with({"--snapshot-every-events", "500"}));
  ASSERT_NO_FATAL_FAILURE(register_offers());
  drive_all(commands_per_thread() / 2);

  // Wait until the taker has caught up (fewer than 500 events after its newest snapshot, so it
  // takes no other), then write a little more, so the crash leaves events after that snapshot
  // for the restart to replay.
  const std::uint64_t driven = testing::head(api());
  std::uint64_t snapshot = 0;
  for (int i = 0; i < 600 && snapshot == 0; ++i) {
    const auto newest = newest_snapshot_logged();
    if (newest > testing::kReferenceEvents && driven - newest < 500) snapshot = newest;
    else std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GT(snapshot, testing::kReferenceEvents) << "no periodic snapshot was taken";
  for (std::uint32_t region : {1081u, 1082u, 1083u})
    ASSERT_TRUE(succeeded(set_block_grant(region, kYear, 60'000'000'00, "after-snapshot-" + std::to_string(region))));
  // A planner reading between writes: each read builds the next live model, from the one before
  // last when no reader holds it (planning_views.h), which the comparisons below then check.
  for (int round = 0; round < 6; ++round) {
    const std::string id = "between-reads-" + std::to_string(round);
    ASSERT_TRUE(succeeded(set_block_grant(1084, kYear, (70 + round) * 1'000'000'00ll, id)));
    EXPECT_EQ(capacity(date(kYear, 6, 1), {v1::GROUP_FIELD_OFFER}).position(), testing::head(api()));
  }
  const std::uint64_t head = testing::head(api());
  const auto live = all_views(0, kYear);
  const auto just_after_snapshot = all_views(snapshot + 1, kYear);

  ASSERT_NO_FATAL_FAILURE(crash_and_start());
  EXPECT_EQ(last_start().snapshot, snapshot) << "the newest snapshot before the crash";
  EXPECT_EQ(last_start().replayed, head - snapshot);
  EXPECT_EQ(testing::head(api()), head);
  EXPECT_EQ(all_views(0, kYear), live) << "snapshot + the log after it = live before the crash";
  EXPECT_EQ(all_views(snapshot + 1, kYear), just_after_snapshot) << "time travel from a snapshot";

  ASSERT_NO_FATAL_FAILURE(restart_with({"--ignore-snapshots"}));
  EXPECT_EQ(last_start().snapshot, 0u);
  EXPECT_EQ(all_views(0, kYear), live) << "the whole log = the snapshot + the log after it";
  EXPECT_EQ(all_views(snapshot + 1, kYear), just_after_snapshot);
}

}  // namespace
}  // namespace placement
