#include "services/projections/touched_offers.h"

#include <type_traits>
#include <variant>

namespace placement::projections {

void TouchedOffers::add_offers_of_placement(const domain::State& state, const std::string& placement_id) {
  const domain::PlacementState* placement = domain::find_placement(state, placement_id);
  if (!placement) return;
  offers_.insert(placement->offer_id);
  for (const domain::Stay& stay : placement->previous_stays) offers_.insert(stay.offer_id);
}

void TouchedOffers::note(const domain::State& before, const domain::Event& event) {
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (domain::is_planning_event<E>) return;  // the inputs are not in the index
        if constexpr (std::is_same_v<E, domain::RegionRegistered> ||
                      std::is_same_v<E, domain::MunicipalityRegistered> ||
                      std::is_same_v<E, domain::RegionEstablished> || std::is_same_v<E, domain::RegionCeased> ||
                      std::is_same_v<E, domain::MunicipalityRegionChanged>)
          regions_changed_ = true;
        if constexpr (requires { e.offer_id; }) offers_.insert(e.offer_id);
        if constexpr (requires { e.from_offer_id; }) offers_.insert(e.from_offer_id);
        if constexpr (requires { e.to_offer_id; }) offers_.insert(e.to_offer_id);
        if constexpr (requires { e.placement_id; }) {
          // Once per placement: its offers before the batch are the same for each of its events.
          if (placements_.insert(e.placement_id).second) add_offers_of_placement(before, e.placement_id);
        }
      },
      event);
}

void TouchedOffers::settle(const domain::State& after) {
  for (const std::string& placement_id : placements_) add_offers_of_placement(after, placement_id);
}

}  // namespace placement::projections
