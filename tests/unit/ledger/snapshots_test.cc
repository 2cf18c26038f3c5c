// The ledger starts from a snapshot decoded twice (load_snapshot_for_ledger), one model for the
// published copy and one for the writer's, both then caught up with the log on two threads. Both
// must equal the model a replay of the whole log builds: the published one is read, the writer's
// one decides.

#include "services/ledger/snapshots.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/codec/event_codec.h"
#include "services/codec/snapshot_codec.h"
#include "services/ledger/ledger.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/dates.h"
#include "tests/support/temp_dir.h"

namespace placement::ledger {
namespace {

using namespace placement::domain;  // the scenario names several event types

using placement::testing::day;

class FixedClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  }
};

class SnapshotsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = storage::RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
  }

  void append(const Event& event) {
    storage::AppendRequest request;
    request.command_id = "c" + std::to_string(next_command_++);
    request.actor.set_subject("tester");
    request.recorded_at = FixedClock().now();
    request.streams.push_back(storage::StreamAppend{
        std::string(stream_of(event)), storage::ExpectedVersion::any(), {codec::encode_event(event)}});
    std::vector<storage::AppendRequest> requests;
    requests.push_back(std::move(request));
    auto outcome = log_->append(std::move(requests));
    ASSERT_TRUE(outcome.results.front()) << outcome.results.front().error().message;
  }

  void register_offer(const std::string& offer) {
    append(OfferRegistered{offer,
                           "Tilbud " + offer,
                           1081,
                           SpecialisationLevel::moderat,
                           {TargetGroup::multiple_disabilities},
                           ServiceType::dogn,
                           "SEL § 108",
                           Catchment::region(1081),
                           Financing{FinancingModel::takst, 0}});
    append(CapacityChanged{offer, day(2020, 1, 1), 4});
  }

  // Reference data, an offer and a few placements; then `tail` more offers after the snapshot.
  void write_log_with_snapshot_then(int tail) {
    append(RegionRegistered{1081, "Region Hovedstaden"});
    append(MunicipalityRegistered{101, "København", 1081, 1000});
    register_offer("bo-0");
    for (int p = 0; p < 20; ++p) {
      const std::string id = "p-" + std::to_string(p);
      const Date start = day(2021, 1 + static_cast<unsigned>(p % 12), 1);
      append(PlacementRequested{id, CitizenRef{"citizen-" + std::to_string(p), "", "sealed"}, 30, 101, "bo-0",
                                SpecialisationLevel::moderat, TargetGroup::multiple_disabilities, start,
                                Instant(std::chrono::microseconds(1'600'000'000'000'000))});
      if (p % 2 == 0) append(PlacementRejected{id, "bo-0", "ikke egnet"});
    }
    ReadModel model;
    ASSERT_TRUE(replay_into(model, *log_));
    snapshot_ = model.position;
    ASSERT_TRUE(log_->put_snapshot(snapshot_, codec::encode_snapshot(model.state, model.position)));
    for (int o = 1; o <= tail; ++o) register_offer("bo-" + std::to_string(o));
  }

  ReadModel replayed_from_the_start() const {
    ReadModel model;
    EXPECT_TRUE(replay_into(model, *log_));
    return model;
  }

  static void expect_same_model(const ReadModel& got, const ReadModel& want) {
    EXPECT_EQ(got.position, want.position);
    EXPECT_TRUE(got.state == want.state);
    EXPECT_TRUE(got.state.planning == want.state.planning);
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::RocksDbEventLog> log_;
  Position snapshot_{0};
  int next_command_ = 0;
};

TEST_F(SnapshotsTest, TheLedgersStartDecodesTheSnapshotIntoTwoEqualModels) {
  ASSERT_NO_FATAL_FAILURE(write_log_with_snapshot_then(0));
  auto start = load_snapshot_for_ledger(*log_, log_->head().position);
  ASSERT_TRUE(start);
  ASSERT_TRUE(start->writer);
  EXPECT_EQ(start->published.position, snapshot_);
  const ReadModel whole_log = replayed_from_the_start();
  expect_same_model(start->published, whole_log);
  expect_same_model(*start->writer, whole_log);
}

TEST_F(SnapshotsTest, NoSnapshotOrAnUnreadableOneGivesNoStart) {
  append(RegionRegistered{1081, "Region Hovedstaden"});
  EXPECT_FALSE(load_snapshot_for_ledger(*log_, log_->head().position)) << "no snapshot yet";
  ASSERT_TRUE(log_->put_snapshot(log_->head().position, "not a snapshot"));
  EXPECT_FALSE(load_snapshot_for_ledger(*log_, log_->head().position)) << "a snapshot the codec refuses";
}

TEST_F(SnapshotsTest, ALedgerStartedFromTwoModelsCatchesBothUpWithTheLog) {
  ASSERT_NO_FATAL_FAILURE(write_log_with_snapshot_then(3));
  auto start = load_snapshot_for_ledger(*log_, log_->head().position);
  ASSERT_TRUE(start);
  ASSERT_LT(start->published.position, log_->head().position);
  FixedClock clock;
  auto ledger = Ledger::open(*log_, clock, {}, nullptr, std::move(*start));
  ASSERT_TRUE(ledger) << ledger.error().message;

  // The published model (what readers see) is the whole log's.
  ledger.value()->read_model([&](const ReadModel& model) { expect_same_model(model, replayed_from_the_start()); });

  // The writer's model has the tail too: it knows an offer registered after the snapshot.
  v1::Actor admin;
  admin.set_subject("operator");
  admin.set_role(v1::ROLE_ADMIN);
  auto changed =
      ledger.value()->execute_and_wait(admin, "change-late-offer", ChangeCapacity{"bo-3", day(2024, 1, 1), 9});
  ASSERT_TRUE(changed) << changed.error().message;
  ledger.value()->stop();
  ledger.value()->read_model([&](const ReadModel& model) { expect_same_model(model, replayed_from_the_start()); });
}

TEST_F(SnapshotsTest, AWritersModelOfAnotherPositionIsRefused) {
  ASSERT_NO_FATAL_FAILURE(write_log_with_snapshot_then(1));
  auto start = load_snapshot_for_ledger(*log_, log_->head().position);
  ASSERT_TRUE(start);
  start->writer = ReadModel{};  // position 0, the published one is at the snapshot
  FixedClock clock;
  auto ledger = Ledger::open(*log_, clock, {}, nullptr, std::move(*start));
  ASSERT_FALSE(ledger);
  EXPECT_EQ(ledger.error().code, Errc::internal);
}

}  // namespace
}  // namespace placement::ledger
