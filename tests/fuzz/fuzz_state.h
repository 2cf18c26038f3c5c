#pragma once
// The small fixed State the fuzz targets decide against: the five regions, two municipalities, two
// offers (one full, one with room, one closed later) and placements in each status the commands
// act on, built through decide/apply as the writer would. Built once per process.

#include <chrono>
#include <cstdlib>
#include <string>

#include "services/domain/apply.h"
#include "services/domain/decide.h"
#include "services/domain/state.h"

namespace placement::fuzz {

inline domain::Date fixed_date(int year, unsigned month, unsigned day) {
  return domain::make_date(year, month, day).value();
}

// 2024-01-01T00:00:00Z, the instant every fuzzed command is decided at.
inline constexpr domain::Instant kFuzzNow{std::chrono::microseconds{1'704'067'200'000'000}};

inline domain::Command fuzz_command(domain::CommandBody body) {
  return domain::Command{domain::Actor{"fuzzer", domain::Role::admin, 0}, "fuzz-command", kFuzzNow,
                         fixed_date(2024, 1, 1), std::move(body)};
}

inline const domain::State& fixed_state() {
  static const domain::State state = [] {
    using namespace domain;
    State s;
    auto must = [&s](CommandBody body) {
      auto events = decide(s, fuzz_command(std::move(body)));
      if (!events) std::abort();  // the fixture itself is wrong: fail loudly, not as a finding
      for (const Event& event : events.value()) apply(s, event);
    };
    for (auto [code, name] : {std::pair{1081, "Nordjylland"},
                              {1082, "Midtjylland"},
                              {1083, "Syddanmark"},
                              {1084, "Hovedstaden"},
                              {1085, "Sjælland"}})
      must(RegisterRegion{code, name});
    must(RegisterMunicipality{101, "København", 1084, 1924641});
    must(RegisterMunicipality{751, "Aarhus", 1082, 1060744});
    for (const char* id : {"offer-a", "offer-b"}) {
      must(RegisterOffer{id,
                         std::string("Tilbud ") + id,
                         1084,
                         SpecialisationLevel::moderat,
                         {TargetGroup::multiple_disabilities, TargetGroup::children_with_complex_difficulties},
                         ServiceType::dogn,
                         "SEL § 108",
                         Catchment::region(1084),
                         Financing{FinancingModel::takst, 0}});
      must(SetRate{id, fixed_date(2024, 1, 1), Ore{250'000}, std::nullopt, std::nullopt, std::nullopt});
    }
    must(ChangeCapacity{"offer-a", fixed_date(2024, 1, 1), 2});
    must(ChangeCapacity{"offer-b", fixed_date(2024, 1, 1), 5});
    auto request = [&](const char* placement_id, const char* offer_id) {
      RequestPlacement r;
      r.placement_id = placement_id;
      r.citizen = CitizenRef{std::string("citizen-") + placement_id, "", ""};
      r.age_at_start = 30;
      r.paying_municipality = 101;
      r.offer_id = offer_id;
      r.level = SpecialisationLevel::moderat;
      r.target_group = TargetGroup::multiple_disabilities;
      r.requested_start = fixed_date(2024, 2, 1);
      r.join_waiting_list_if_full = true;
      must(r);
    };
    const std::chrono::seconds hold = std::chrono::hours(48);
    request("p-requested", "offer-b");
    request("p-reserved", "offer-b");
    must(ReservePlace{"p-reserved", fixed_date(2024, 2, 1), hold, false});
    request("p-admitted", "offer-a");
    must(ReservePlace{"p-admitted", fixed_date(2024, 2, 1), hold, false});
    must(AdmitPlacement{"p-admitted", fixed_date(2024, 2, 1)});
    request("p-admitted-2", "offer-a");
    must(ReservePlace{"p-admitted-2", fixed_date(2024, 2, 1), hold, false});
    must(AdmitPlacement{"p-admitted-2", fixed_date(2024, 2, 1)});
    request("p-waiting", "offer-a");  // offer-a is full: waitlisted
    return s;
  }();
  return state;
}

}  // namespace placement::fuzz
