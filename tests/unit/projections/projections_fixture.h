#pragma once
// Test fixture for the planners' views: the domain fixture (reference data, command runner) plus
// builders for offers under each financing model and placements with a chosen paying municipality.

#include <gtest/gtest.h>

#include <string>

#include "services/domain/money.h"
#include "services/domain/planning_inputs.h"
#include "services/projections/planning_index.h"
#include "tests/unit/domain/domain_fixture.h"

namespace placement::projections::testing {

using domain::testing::d;
using namespace placement::domain;

inline constexpr std::int64_t kKr = 100;  // øre per krone

class ProjectionsTest : public domain::testing::DomainTest {
 protected:
  // An offer in level HOJT, groups 1 and 6, run by `operator_code`, catchment its region (or national).
  void financed_offer(const std::string& id, Financing financing, std::int32_t places, Date from,
                      std::int32_t operator_code = 1084, Catchment catchment = Catchment::region(1084),
                      SpecialisationLevel level = SpecialisationLevel::hojt) {
    RegisterOffer spec =
        offer_spec(id, level, {TargetGroup::multiple_disabilities, TargetGroup::children_with_complex_difficulties},
                   operator_code);
    spec.catchment = catchment;
    spec.financing = financing;
    must(spec);
    must(ChangeCapacity{id, from, places});
  }

  void rate(const std::string& offer_id, Date from, std::int64_t daily, std::optional<std::int64_t> copayment = {},
            std::optional<std::int64_t> vacancy = {}) {
    SetRate body{offer_id, from, Ore{daily}, std::nullopt, std::nullopt, std::nullopt};
    if (copayment) body.daily_copayment_rate = Ore{*copayment};
    if (vacancy) body.daily_vacancy_rate = Ore{*vacancy};
    must(body);
  }

  // Requested, reserved and admitted on `on`, paid by `paying`; discharged on `until` if given.
  void stay(const std::string& placement_id, const std::string& offer_id, std::int32_t paying, Date on,
            std::optional<Date> until = {}, std::string citizen = "", std::int32_t age = 30,
            std::string household = "") {
    RequestPlacement r = request_spec(placement_id, offer_id, citizen);
    r.citizen.household_id = household;
    r.paying_municipality = paying;
    r.level = offer_state(offer_id).level;
    r.age_at_start = age;
    r.requested_start = on;
    r.join_waiting_list_if_full = false;
    must(r);
    must(ReservePlace{placement_id, on, domain::testing::kHold, false});
    must(AdmitPlacement{placement_id, on});
    if (until) must(DischargePlacement{placement_id, *until});
  }

  PlanningIndex index() const { return PlanningIndex(state_); }

  domain::PlanningInputs inputs_ = default_planning_inputs();
};

}  // namespace placement::projections::testing
