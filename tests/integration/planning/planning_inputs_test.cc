// Planning inputs as events: idempotent by command id, refused cleanly with nothing written, and
// reflected in the views; a what-if writes nothing.

#include "tests/integration/planning/planning_fixture.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;

class PlanningInputsTest : public testing::PlanningTest {
 protected:
  // A TAKST offer with 2 places and 1,000 kr a day from 2031-01-01, one citizen admitted on 2031-01-01.
  void one_admitted_placement() {
    testing::OfferSpec spec;
    spec.offer_id = "bo-1";
    spec.places = 2;
    spec.places_from = date(2031, 1, 1);
    ASSERT_TRUE(succeeded(testing::register_offer(api(), spec)));
    v1::SetRateRequest rate;
    rate.set_command_id("rate-bo-1");
    rate.set_offer_id("bo-1");
    *rate.mutable_effective_from() = date(2031, 1, 1);
    rate.set_daily_rate_ore(1'000'00);
    v1::CommandResult result;
    ASSERT_TRUE(succeeded(api().offers->SetRate(
        testing::as_operator(testing::operator_of(api(), rate.offer_id())).get(), rate, &result)));
    ASSERT_TRUE(succeeded(testing::request_and_reserve(
        api(), testing::RequestSpec("010170-1001", "bo-1").id("p-1").starting(date(2031, 1, 1)))));
    ASSERT_TRUE(succeeded(testing::admit(api(), testing::Who::caseworker(101), "p-1", date(2031, 1, 1))));
  }
};

TEST_F(PlanningInputsTest, ARepeatedCommandIdWritesNothingNewAndAnswersTheFirstResult) {
  v1::CommandResult first;
  ASSERT_TRUE(succeeded(set_block_grant(1084, 2031, 123'00, "grant-once", &first)));
  EXPECT_FALSE(first.duplicate());
  const auto head = testing::head(api());
  EXPECT_EQ(first.last_position(), head);

  v1::CommandResult again;
  ASSERT_TRUE(succeeded(set_block_grant(1084, 2031, 123'00, "grant-once", &again)));
  EXPECT_TRUE(again.duplicate());
  EXPECT_EQ(again.first_position(), first.first_position());
  EXPECT_EQ(testing::head(api()), head);

  const auto events = testing::read_events(api(), {"BlockGrantSet"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].envelope().stream_id(), "planning");
  const auto grant = testing::payload_of<v1::BlockGrantSet>(events[0]);
  EXPECT_EQ(grant.region_code(), 1084u);
  EXPECT_EQ(grant.year(), 2031);
  EXPECT_EQ(grant.amount_ore(), 123'00);
}

TEST_F(PlanningInputsTest, BadInputIsRefusedAndWritesNothing) {
  const auto head = testing::head(api());
  EXPECT_EQ(set_block_grant(1099, 2031, 1, "grant-unknown-region").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(set_block_grant(1084, 2031, -1, "grant-negative").error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::SetRefundTiersRequest tiers;
  tiers.set_command_id("tiers-unordered");
  tiers.set_year(2031);
  for (std::int64_t threshold : {2'000'000'00LL, 1'000'000'00LL}) {
    auto* tier = tiers.add_tiers();
    tier->set_threshold_per_year_ore(threshold);
    tier->set_percent_bp(2'500);
  }
  v1::CommandResult result;
  EXPECT_EQ(planning().SetRefundTiers(testing::as_admin().get(), tiers, &result).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::SetObjectiveKeyRequest key;
  key.set_command_id("key-unknown");
  auto* weight = key.add_weights();
  weight->set_municipality_code(999);
  weight->set_weight(1);
  EXPECT_EQ(planning().SetObjectiveKey(testing::as_admin().get(), key, &result).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::RecordIncomeRequest income;
  income.set_command_id("income-unknown");
  income.set_placement_id("no-such-placement");
  income.set_year(2031);
  income.set_month(1);
  EXPECT_EQ(planning().RecordIncome(testing::as_admin().get(), income, &result).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::SetBlockGrantRequest no_id;
  no_id.set_region_code(1084);
  no_id.set_year(2031);
  EXPECT_EQ(planning().SetBlockGrant(testing::as_admin().get(), no_id, &result).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  EXPECT_EQ(testing::head(api()), head) << "nothing was written";
  // A refused command id stays free: the same id with good input is written.
  EXPECT_TRUE(succeeded(set_block_grant(1084, 2031, 1, "grant-negative")));
}

TEST_F(PlanningInputsTest, AWhatIfWritesNothingAndChangesOnlyTheAnswer) {
  ASSERT_NO_FATAL_FAILURE(one_admitted_placement());
  const auto head = testing::head(api());
  const auto actual = financing(date(2031, 1, 1), date(2031, 2, 1));
  ASSERT_EQ(actual.offers_size(), 1);
  EXPECT_EQ(actual.offers(0).usage_paid_ore(), 31 * 1'000'00);
  EXPECT_EQ(actual.offers(0).operator_vacancy_ore(), 31 * 1'000'00);

  v1::FinancingOverride what_if;
  what_if.set_offer_id("bo-1");
  what_if.mutable_financing()->set_model(v1::FINANCING_MODEL_OBJEKTIV);
  what_if.mutable_rate()->set_daily_rate_ore(2'000'00);
  const auto imagined = financing(date(2031, 1, 1), date(2031, 2, 1), 0, {what_if});
  ASSERT_EQ(imagined.offers_size(), 1);
  EXPECT_EQ(imagined.offers(0).financing().model(), v1::FINANCING_MODEL_OBJEKTIV);
  EXPECT_EQ(imagined.offers(0).usage_paid_ore(), 31 * 2'000'00);
  EXPECT_EQ(imagined.offers(0).vacancy_cost_ore(), 31 * 2'000'00);
  EXPECT_EQ(imagined.totals().operator_vacancy_ore(), 0);

  EXPECT_EQ(testing::head(api()), head) << "a what-if writes nothing";
  EXPECT_EQ(financing(date(2031, 1, 1), date(2031, 2, 1)).SerializeAsString(), actual.SerializeAsString());

  v1::FinancingOverride unknown;
  unknown.set_offer_id("no-such-offer");
  v1::FinancingRequest request;
  *request.mutable_from() = date(2031, 1, 1);
  *request.mutable_to() = date(2031, 2, 1);
  *request.add_overrides() = unknown;
  v1::FinancingResponse response;
  EXPECT_EQ(planning().GetFinancing(testing::as_planner().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(PlanningInputsTest, IncomeKeyAndTiersReachTheViewsAndSurviveARestart) {
  ASSERT_NO_FATAL_FAILURE(one_admitted_placement());
  v1::CommandResult result;

  // Refund: one tier of 50 % above 120,000 kr a year (10,000 kr a month); January costs 31,000 kr,
  // 1,000 kr income deducted: (30,000 − 10,000) × 50 % = 10,000 kr.
  v1::SetRefundTiersRequest tiers;
  tiers.set_command_id("tiers-2031");
  tiers.set_year(2031);
  auto* tier = tiers.add_tiers();
  tier->set_threshold_per_year_ore(120'000'00);
  tier->set_percent_bp(5'000);
  ASSERT_TRUE(succeeded(planning().SetRefundTiers(testing::as_admin().get(), tiers, &result)));
  v1::RecordIncomeRequest income;
  income.set_command_id("income-p-1-2031-01");
  income.set_placement_id("p-1");
  income.set_year(2031);
  income.set_month(1);
  income.set_user_payments_ore(600'00);
  income.set_other_refunds_ore(400'00);
  ASSERT_TRUE(succeeded(planning().RecordIncome(testing::as_admin().get(), income, &result)));

  const auto view = financing(date(2031, 1, 1), date(2031, 2, 1));
  ASSERT_EQ(view.municipalities_size(), 1);
  EXPECT_EQ(view.municipalities(0).municipality_code(), 101u);
  EXPECT_EQ(view.municipalities(0).usage_payments_ore(), 31'000'00);
  EXPECT_EQ(view.municipalities(0).refund_ore(), 10'000'00);
  EXPECT_EQ(view.municipalities(0).net_ore(), 21'000'00);

  // The key: only Frederiksberg weighs, so an OBJEKTIV what-if's vacancy all falls on it.
  v1::SetObjectiveKeyRequest key;
  key.set_command_id("key-frederiksberg");
  auto* weight = key.add_weights();
  weight->set_municipality_code(147);
  weight->set_weight(1);
  ASSERT_TRUE(succeeded(planning().SetObjectiveKey(testing::as_admin().get(), key, &result)));
  v1::FinancingOverride what_if;
  what_if.set_offer_id("bo-1");
  what_if.mutable_financing()->set_model(v1::FINANCING_MODEL_OBJEKTIV);
  const auto keyed = financing(date(2031, 1, 1), date(2031, 2, 1), 0, {what_if});
  std::int64_t frederiksberg = -1;
  for (const auto& m : keyed.municipalities())
    if (m.municipality_code() == 147) frederiksberg = m.objective_share_ore();
  EXPECT_EQ(frederiksberg, 31 * 1'000'00);

  const auto before = all_views(0, 2031);
  ASSERT_NO_FATAL_FAILURE(restart());
  EXPECT_EQ(all_views(0, 2031), before) << "the inputs are replayed from the log";
}

}  // namespace
}  // namespace placement
