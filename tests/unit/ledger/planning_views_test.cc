// PlanningViews' live model after writes: brought up to date from the model before (its index
// updated for the offers the new events touched), it must equal the ledger's model with an index
// built afresh, whether the previous model was reused or a reader still held it.

#include "services/ledger/planning_views.h"

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/dates.h"
#include "tests/unit/ledger/ledger_fixture.h"
#include "tests/unit/projections/index_equality.h"

namespace placement::ledger {
namespace {

using namespace placement::domain;  // the commands

using placement::testing::day;

class FixedClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1'704'110'400));  // 2024-01-01T12:00:00Z
  }
};

class PlanningViewsTest : public testing::LedgerOnRocksDb {
 protected:
  void SetUp() override {
    open_ledger(clock_);
    if (ledger_) views_ = std::make_unique<PlanningViews>(*ledger_, *log_);
  }
  void TearDown() override {
    views_.reset();
    LedgerOnRocksDb::TearDown();
  }

  void must(CommandBody body) {
    auto outcome = ledger_->execute_and_wait(actor_, "c" + std::to_string(++commands_), std::move(body));
    ASSERT_TRUE(outcome) << outcome.error().message;
  }

  void offer(const std::string& id, std::int32_t operator_code, std::int32_t places) {
    must(RegisterOffer{id,
                       "Tilbud " + id,
                       operator_code,
                       SpecialisationLevel::moderat,
                       {TargetGroup::multiple_disabilities},
                       ServiceType::dogn,
                       "SEL § 108",
                       Catchment::region(1084),
                       Financing{FinancingModel::takst, 0}});
    must(ChangeCapacity{id, day(2024, 1, 1), places});
  }

  void request(const std::string& id, const std::string& offer_id) {
    RequestPlacement r;
    r.placement_id = id;
    r.citizen = CitizenRef{"citizen-of-" + id, "", ""};
    r.age_at_start = 30;
    r.paying_municipality = 101;
    r.offer_id = offer_id;
    r.level = SpecialisationLevel::moderat;
    r.target_group = TargetGroup::multiple_disabilities;
    r.requested_start = day(2024, 2, 1);
    r.join_waiting_list_if_full = true;
    must(r);
  }

  void admitted(const std::string& id, const std::string& offer_id, Date on) {
    request(id, offer_id);
    must(ReservePlace{id, on, std::chrono::hours(48), false});
    must(AdmitPlacement{id, on});
  }

  // The live view, checked against the ledger's published model indexed afresh.
  std::shared_ptr<const IndexedModel> expect_live_as_built_afresh() {
    auto live = views_->at(0);
    EXPECT_TRUE(live) << live.error().message;
    if (!live) return nullptr;
    const ReadModel published = ledger_->read_model([](const ReadModel& m) { return m; });
    const IndexedModel& view = *live.value();
    EXPECT_EQ(view.model.position, published.position);
    EXPECT_EQ(view.model.state, published.state);
    EXPECT_EQ(&view.index.state(), &view.model.state);
    projections::testing::expect_same_index(view.index, projections::PlanningIndex(published.state));
    return live.value();
  }

  FixedClock clock_;
  std::unique_ptr<PlanningViews> views_;
  int commands_ = 0;
};

TEST_F(PlanningViewsTest, LiveViewAfterWritesEqualsOneBuiltAfresh) {
  for (std::int32_t region = 1081; region <= 1085; ++region)
    must(RegisterRegion{region, "Region " + std::to_string(region)});
  must(RegisterMunicipality{101, "København", 1084, 1924641});
  must(RegisterMunicipality{751, "Aarhus", 1082, 1060744});
  offer("a", 1084, 3);
  offer("b", 101, 2);
  offer("c", 751, 2);
  admitted("p1", "a", day(2024, 2, 1));
  admitted("p2", "b", day(2024, 2, 3));
  request("p3", "c");

  const ReadModel* first = &expect_live_as_built_afresh()->model;  // a copy of the ledger's model
  admitted("p4", "c", day(2024, 2, 5));
  const ReadModel* second = &expect_live_as_built_afresh()->model;  // a copy too: nothing to reuse yet

  // From here each build reuses the model of the build before the last, with its index.
  must(TransferPlacement{"p1", "b", day(2024, 2, 10)});  // touches a and b; c is kept
  EXPECT_EQ(&expect_live_as_built_afresh()->model, first);
  offer("d", 751, 1);  // a new offer between the others
  must(DischargePlacement{"p2", day(2024, 2, 20)});
  must(SetBlockGrant{1082, 2024, Ore{5'000'000}});  // a planning input between the others
  must(TransferPlacement{"p4", "d", day(2024, 2, 25)});
  EXPECT_EQ(&expect_live_as_built_afresh()->model, second);

  // A reader still holding the previous model: the next build copies the ledger's model instead.
  auto held = views_->at(0).value();
  must(ChangeCapacity{"a", day(2024, 3, 1), 5});
  const auto copied = expect_live_as_built_afresh();
  must(WithdrawPlacement{"p3", ""});
  const auto after_copy = expect_live_as_built_afresh();
  EXPECT_NE(&after_copy->model, &held->model) << "reused a model a reader still holds";
}

TEST_F(PlanningViewsTest, WarmedViewsFoldEveryCommitAfterTheStartInsteadOfCopying) {
  for (std::int32_t region = 1081; region <= 1085; ++region)
    must(RegisterRegion{region, "Region " + std::to_string(region)});
  must(RegisterMunicipality{101, "København", 1084, 1924641});
  offer("a", 1084, 3);
  admitted("p1", "a", day(2024, 2, 1));

  views_->warm();
  EXPECT_EQ(views_->full_builds(), 2u);
  expect_live_as_built_afresh();
  // The first commit after the start folds into the spare, the next into the first live model.
  admitted("p2", "a", day(2024, 2, 3));
  expect_live_as_built_afresh();
  must(DischargePlacement{"p1", day(2024, 2, 20)});
  expect_live_as_built_afresh();
  request("p3", "a");
  expect_live_as_built_afresh();
  EXPECT_EQ(views_->full_builds(), 2u) << "a view after warm() copied the whole model";
}

}  // namespace
}  // namespace placement::ledger
