#pragma once
// Test fixture: a State with reference data, a command runner that applies what decide returns,
// and builders with sensible defaults so each test states only what it is about.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "services/domain/apply.h"
#include "services/domain/decide.h"
#include "services/domain/events.h"
#include "services/domain/state.h"
#include "tests/support/dates.h"

namespace placement::domain::testing {

using placement::testing::d;

inline constexpr std::chrono::seconds kHold = std::chrono::hours(48);

// For random command sequences: a placement now in `status`, picked with pick(n) ∈ [0, n), so
// commands that need one mostly get one and every transition is exercised; one time in five (or
// when there is none) `otherwise`, so the refusals are exercised too.
template <class Pick>
std::string placement_in(const State& state, PlacementStatus status, const std::string& otherwise, Pick&& pick) {
  std::vector<std::string> candidates;
  for (const auto& [id, p] : state.placements) {
    if (p.status == status) candidates.push_back(id);
  }
  if (candidates.empty() || pick(5) == 0) return otherwise;
  return candidates[static_cast<std::size_t>(pick(static_cast<int>(candidates.size())))];
}

class DomainTest : public ::testing::Test {
 protected:
  DomainTest() {
    for (auto [code, name] : {std::pair{1081, "Nordjylland"},
                              {1082, "Midtjylland"},
                              {1083, "Syddanmark"},
                              {1084, "Hovedstaden"},
                              {1085, "Sjælland"}}) {
      must(RegisterRegion{code, name});
    }
    must(RegisterMunicipality{101, "København", 1084, 1924641});
    must(RegisterMunicipality{147, "Frederiksberg", 1084, 420474});
    must(RegisterMunicipality{751, "Aarhus", 1082, 1060744});
    must(RegisterMunicipality{851, "Aalborg", 1081, 706756});
  }

  Command command(CommandBody body) const {
    return Command{Actor{"tester", Role::admin, 0}, "cmd-" + std::to_string(log_.size()), now_, today_,
                   std::move(body)};
  }

  // Decides and, on success, applies the events (as the writer does).
  Result<std::vector<Event>> run(CommandBody body) {
    auto events = decide(state_, command(std::move(body)));
    if (events) {
      for (const Event& event : events.value()) {
        apply(state_, event);
        log_.push_back(event);
      }
    }
    return events;
  }

  std::vector<Event> must(CommandBody body) {
    auto events = run(std::move(body));
    EXPECT_TRUE(events) << events.error().message;
    return events ? events.value() : std::vector<Event>{};
  }

  // Expects a refusal with `code` that leaves the state untouched; returns the message.
  std::string refused(CommandBody body, Errc code) {
    const State before = state_;
    auto events = run(std::move(body));
    EXPECT_FALSE(events);
    if (events) return "";
    EXPECT_EQ(events.error().code, code) << events.error().message;
    EXPECT_EQ(state_, before);
    return events.error().message;
  }

  RegisterOffer offer_spec(std::string id, SpecialisationLevel level = SpecialisationLevel::moderat,
                           std::vector<TargetGroup> groups = {TargetGroup::multiple_disabilities,
                                                              TargetGroup::children_with_complex_difficulties},
                           std::int32_t operator_code = 1084) const {
    return RegisterOffer{id,          "Tilbud " + id,          operator_code,
                         level,       std::move(groups),       ServiceType::dogn,
                         "SEL § 108", Catchment::region(1084), Financing{FinancingModel::takst, 0}};
  }

  // Registers an offer with `places` open places from 2024-01-01.
  void offer(std::string id, std::int32_t places, SpecialisationLevel level = SpecialisationLevel::moderat,
             std::int32_t operator_code = 1084) {
    must(offer_spec(id, level, {TargetGroup::multiple_disabilities, TargetGroup::children_with_complex_difficulties},
                    operator_code));
    must(ChangeCapacity{id, d("2024-01-01"), places});
  }

  RequestPlacement request_spec(std::string placement_id, std::string offer_id, std::string citizen = "") const {
    RequestPlacement r;
    r.placement_id = placement_id;
    r.citizen = CitizenRef{citizen.empty() ? "citizen-of-" + placement_id : citizen, "", ""};
    r.age_at_start = 30;
    r.paying_municipality = 101;
    r.offer_id = std::move(offer_id);
    r.level = SpecialisationLevel::moderat;
    r.target_group = TargetGroup::multiple_disabilities;
    r.requested_start = d("2024-02-01");
    r.join_waiting_list_if_full = true;
    return r;
  }

  void request(std::string placement_id, std::string offer_id, std::string citizen = "") {
    must(request_spec(std::move(placement_id), std::move(offer_id), std::move(citizen)));
  }

  void reserve(const std::string& placement_id, Date from = d("2024-02-01")) {
    must(ReservePlace{placement_id, from, kHold, false});
  }

  // requested → reserved → admitted on `on`.
  void admitted(const std::string& placement_id, const std::string& offer_id, Date on = d("2024-02-01")) {
    request(placement_id, offer_id);
    reserve(placement_id, on);
    must(AdmitPlacement{placement_id, on});
  }

  const PlacementState& placement(std::string_view id) const { return *find_placement(state_, id); }
  const OfferState& offer_state(std::string_view id) const { return *find_offer(state_, id); }

  void advance(std::chrono::seconds by) { now_ += std::chrono::duration_cast<std::chrono::microseconds>(by); }

  State state_;
  std::vector<Event> log_;
  Instant now_{std::chrono::microseconds{1'704'067'200'000'000}};  // 2024-01-01T00:00:00Z
  Date today_ = d("2024-01-01");
};

template <class E> std::vector<E> events_of(const std::vector<Event>& events) {
  std::vector<E> out;
  for (const Event& event : events) {
    if (const E* e = std::get_if<E>(&event)) out.push_back(*e);
  }
  return out;
}

}  // namespace placement::domain::testing
