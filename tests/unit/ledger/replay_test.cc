// replay_into streams the log through EventLog::visit_forward; it must build exactly the model that
// folding apply_logged over read_forward builds (the ledger folds new events that way), in one go,
// in parts, and stop at a bad event with everything before it applied.

#include "services/ledger/replay.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "services/codec/event_codec.h"
#include "storage/keys.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/dates.h"
#include "tests/support/temp_dir.h"

namespace placement::ledger {
namespace {

using namespace placement::domain;  // the scenario names many event types

using placement::testing::day;
Instant at_day(Date date) {
  return Instant(std::chrono::microseconds(std::int64_t{date.days_since_epoch()} * 86'400'000'000));
}

// Every test runs with reading and folding on one thread and on two: the same model, the same errors.
class ReplayTest : public ::testing::TestWithParam<ReplayThreads> {
 protected:
  void SetUp() override {
    auto opened = storage::RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
  }

  // One command per event, written by commit() in one synced batch (a sync per event would make
  // the test slow, and replay does not see how events were grouped).
  void append(std::vector<storage::NewEvent> events) {
    storage::AppendRequest request;
    request.command_id = "c" + std::to_string(pending_.size() + commands_written_);
    request.actor.set_subject("tester");
    request.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    request.streams.push_back(storage::StreamAppend{"s" + std::to_string(pending_.size() % 7),
                                                    storage::ExpectedVersion::any(), std::move(events)});
    pending_.push_back(std::move(request));
  }
  void append(const Event& event) { append(std::vector{codec::encode_event(event)}); }

  void commit() {
    commands_written_ += pending_.size();
    auto outcome = log_->append(std::move(pending_));
    pending_.clear();
    for (const auto& result : outcome.results) ASSERT_TRUE(result) << result.error().message;
  }

  // Reference data, offers, and placements through every status, with planning events between
  // them: more than 4 096 events, so the chunked reading the ledger used to replay with crosses chunks.
  void write_scenario() {
    for (std::int32_t region = 1081; region <= 1085; ++region)
      append(RegionRegistered{region, "Region " + std::to_string(region)});
    for (std::int32_t m = 0; m < 10; ++m)
      append(MunicipalityRegistered{101 + m, "Kommune " + std::to_string(m), 1081 + m % 5, 1000 + m});
    append(BlockGrantSet{1081, 2024, Ore{5'000'000}});
    for (int o = 0; o < 6; ++o) {
      const std::string offer = "bo-" + std::to_string(o);
      append(OfferRegistered{offer,
                             "Tilbud " + std::to_string(o),
                             1081 + o % 5,
                             SpecialisationLevel::moderat,
                             {TargetGroup::multiple_disabilities},
                             ServiceType::dogn,
                             "SEL § 108",
                             Catchment::region(1081 + o % 5),
                             Financing{FinancingModel::takst, 0}});
      append(CapacityChanged{offer, day(2020, 1, 1), 3 + o});
      append(RateSet{offer, day(2020, 1, 1), Rate{Ore{250'000 + o}, Ore{0}, Ore{1'000}, {}}});
    }
    for (int p = 0; p < 1200; ++p) {
      const std::string id = "p-" + std::to_string(p);
      const std::string offer = "bo-" + std::to_string(p % 6);
      const Date start = day(2021, 1 + static_cast<unsigned>(p % 12), 1 + static_cast<unsigned>(p % 28));
      append(PlacementRequested{id,
                                CitizenRef{"citizen-" + std::to_string(p % 700),
                                           p % 3 ? "" : "household-" + std::to_string(p % 50), "sealed"},
                                30 + p % 40, 101 + p % 10, offer, SpecialisationLevel::moderat,
                                TargetGroup::multiple_disabilities, start, at_day(start)});
      switch (p % 5) {
        case 0:
          append(PlacementReserved{id, offer, start, at_day(start)});
          append(PlacementAdmitted{id, offer, start});
          append(PlacementDischarged{id, offer, day(2023, 6, 1)});
          break;
        case 1:
          append(PlacementWaitlisted{id, offer, static_cast<std::uint64_t>(p)});
          append(PlaceProposed{offer, id, start});
          append(PlaceAllocated{id, offer, start, at_day(start), "", ""});
          append(PlacementAdmitted{id, offer, start});
          append(PlacementTransferred{id, offer, "bo-" + std::to_string((p + 1) % 6), day(2022, 2, 1)});
          break;
        case 2:
          append(PlacementWaitlisted{id, offer, static_cast<std::uint64_t>(p)});
          append(PlacementWithdrawn{id, offer, "flyttet"});
          break;
        case 3:
          append(PlacementReserved{id, offer, start, at_day(start)});
          append(ReservationExpired{id, offer, at_day(start)});
          break;
        default: append(PlacementRejected{id, offer, "ikke egnet"}); break;
      }
      if (p % 100 == 0) append(IncomeRecorded{id, domain::YearMonth{2022, 3}, domain::MonthIncome{Ore{p}, Ore{1}}});
    }
    append(OfferClosed{"bo-5", day(2026, 1, 1)});
    append(CitizenErased{"citizen-3", "retention expired"});
    commit();
    ASSERT_GT(log_->head().position.value, 4096u);
  }

  Status replay(ReadModel& model, Position up_to = Position{0}) const {
    return replay_into(model, *log_, up_to, GetParam());
  }

  // The model as the ledger folds events it has read: apply_logged over read_forward.
  ReadModel folded_event_by_event(Position up_to) const {
    ReadModel model;
    for (;;) {
      auto chunk = log_->read_forward(Position{model.position.value + 1}, 1000);
      EXPECT_TRUE(chunk);
      if (!chunk || chunk.value().empty()) return model;
      for (const auto& logged : chunk.value()) {
        if (up_to.value != 0 && logged.position() > up_to) return model;
        auto applied = apply_logged(model, logged);
        EXPECT_TRUE(applied) << applied.error().message;
      }
    }
  }

  static void expect_same_model(const ReadModel& got, const ReadModel& want) {
    EXPECT_EQ(got.position, want.position);
    EXPECT_TRUE(got.state == want.state);
    EXPECT_TRUE(got.state.planning == want.state.planning);
  }

  // Replay stopped at position 3 with data_loss naming it, keeping every event before it.
  static void expect_stopped_at_position_3(const Status& replayed, const ReadModel& model) {
    ASSERT_FALSE(replayed);
    EXPECT_EQ(replayed.error().code, Errc::data_loss);
    EXPECT_NE(replayed.error().message.find("position 3"), std::string::npos) << replayed.error().message;
    EXPECT_EQ(model.position.value, 2u);
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::RocksDbEventLog> log_;
  std::vector<storage::AppendRequest> pending_;
  std::size_t commands_written_ = 0;
};

TEST_P(ReplayTest, AnEmptyLogGivesAnEmptyModel) {
  ReadModel model;
  ASSERT_TRUE(replay(model));
  EXPECT_EQ(model.position.value, 0u);
  expect_same_model(model, ReadModel{});
}

TEST_P(ReplayTest, BuildsTheSameModelAsFoldingEventByEvent) {
  write_scenario();
  ReadModel model;
  ASSERT_TRUE(replay(model));
  EXPECT_EQ(model.position, log_->head().position);
  const ReadModel expected = folded_event_by_event(Position{0});
  expect_same_model(model, expected);
  EXPECT_EQ(model.state.placements.size(), 1200u);
  EXPECT_FALSE(model.state.planning.income.empty());
}

TEST_P(ReplayTest, StopsAtUpToAndResumesFromTheModelsPosition) {
  write_scenario();
  const Position middle{log_->head().position.value / 2 + 17};
  ReadModel model;
  ASSERT_TRUE(replay(model, middle));
  EXPECT_EQ(model.position, middle);
  expect_same_model(model, folded_event_by_event(middle));
  // Already there: nothing more.
  ASSERT_TRUE(replay(model, middle));
  EXPECT_EQ(model.position, middle);
  ASSERT_TRUE(replay(model));
  expect_same_model(model, folded_event_by_event(Position{0}));
}

TEST_P(ReplayTest, AnEventThisBuildCannotReadStopsReplayNamingItsPosition) {
  append(RegionRegistered{1081, "Region Nordjylland"});
  append(RegionRegistered{1082, "Region Midtjylland"});
  append(std::vector{storage::NewEvent{"EventFromTheFuture", "x"}});
  append(RegionRegistered{1083, "Region Syddanmark"});
  commit();
  ReadModel model;
  expect_stopped_at_position_3(replay(model), model);
  EXPECT_EQ(model.state.regions.size(), 2u);
}

TEST_P(ReplayTest, ARecordWhoseEnvelopeNamesAnotherPositionStopsReplay) {
  for (std::int32_t region = 1081; region <= 1084; ++region) append(RegionRegistered{region, "Region"});
  commit();
  // The record of position 2 stored again under position 3, as a misplaced write would leave it.
  std::string record;
  ASSERT_TRUE(log_->db().Get(rocksdb::ReadOptions(), &log_->events_family(), storage::event_key(2), &record).ok());
  ASSERT_TRUE(log_->db().Put(rocksdb::WriteOptions(), &log_->events_family(), storage::event_key(3), record).ok());
  ReadModel model;
  expect_stopped_at_position_3(replay(model), model);
}

TEST_P(ReplayTest, AnUnreadableEventSeveralBatchesInStopsReplayKeepingEveryEventBeforeIt) {
  // Far enough in for the events before it to fill several of the two-thread reader's batches.
  const std::int32_t before = 3'000;
  for (std::int32_t m = 0; m < before; ++m) append(MunicipalityRegistered{1000 + m, "Kommune", 1081, 1});
  append(std::vector{storage::NewEvent{"EventFromTheFuture", "x"}});
  for (std::int32_t m = 0; m < 50; ++m) append(MunicipalityRegistered{5000 + m, "Kommune", 1081, 1});
  commit();
  ReadModel model;
  const Status replayed = replay(model);
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().code, Errc::data_loss);
  EXPECT_NE(replayed.error().message.find("position " + std::to_string(before + 1)), std::string::npos)
      << replayed.error().message;
  EXPECT_EQ(model.position.value, static_cast<std::uint64_t>(before));
  EXPECT_EQ(model.state.municipalities.size(), static_cast<std::size_t>(before));
}

INSTANTIATE_TEST_SUITE_P(Threads, ReplayTest, ::testing::Values(ReplayThreads::one, ReplayThreads::two),
                         [](const ::testing::TestParamInfo<ReplayThreads>& param) {
                           return param.param == ReplayThreads::one ? "OneThread" : "TwoThreads";
                         });

// Left to choose, replay takes two threads for a log longer than kTwoThreadsFrom events; the model
// is the one a single thread builds.
TEST(ReplayChoosingThreads, BuildsTheSameModelEitherWay) {
  testing::TempDir dir;
  auto opened = storage::RocksDbEventLog::open(dir.str());
  ASSERT_TRUE(opened) << opened.error().message;
  auto& log = *opened.value();
  std::vector<storage::AppendRequest> requests;
  const std::uint64_t events = kTwoThreadsFrom + 10;
  for (std::uint64_t i = 0; i < events; ++i) {
    storage::AppendRequest request;
    request.command_id = "c" + std::to_string(i);
    request.actor.set_subject("tester");
    request.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
    request.streams.push_back(
        storage::StreamAppend{"reference",
                              storage::ExpectedVersion::any(),
                              {codec::encode_event(MunicipalityRegistered{static_cast<std::int32_t>(1000 + i % 9000),
                                                                          "Kommune " + std::to_string(i), 1081,
                                                                          static_cast<std::int64_t>(i)})}});
    requests.push_back(std::move(request));
  }
  for (const auto& result : log.append(std::move(requests)).results) ASSERT_TRUE(result) << result.error().message;
  ReadModel automatic, one;
  ASSERT_TRUE(replay_into(automatic, log));
  ASSERT_TRUE(replay_into(one, log, Position{0}, ReplayThreads::one));
  EXPECT_EQ(automatic.position.value, events);
  EXPECT_TRUE(automatic.state == one.state);
  EXPECT_EQ(automatic.state.municipalities.at(1000).objective_weight, 9000);
}

}  // namespace
}  // namespace placement::ledger
