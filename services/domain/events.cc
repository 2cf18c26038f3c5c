#include "services/domain/events.h"

#include <type_traits>

namespace placement::domain {

std::string offer_stream(std::string_view offer_id) { return "offer-" + std::string(offer_id); }
std::string placement_stream(std::string_view placement_id) { return "placement-" + std::string(placement_id); }

std::string stream_of(const Event& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, RegionRegistered> || std::is_same_v<E, MunicipalityRegistered> ||
                      std::is_same_v<E, ObjectiveWeightChanged> || std::is_same_v<E, RegionEstablished> ||
                      std::is_same_v<E, RegionCeased> || std::is_same_v<E, MunicipalityRegionChanged>) {
          return std::string(kReferenceStream);
        } else if constexpr (std::is_same_v<E, OfferRegistered> || std::is_same_v<E, CapacityChanged> ||
                             std::is_same_v<E, RateSet> || std::is_same_v<E, OfferClosed> ||
                             std::is_same_v<E, PlaceProposed> || std::is_same_v<E, OfferOperatorChanged>) {
          return offer_stream(e.offer_id);
        } else if constexpr (std::is_same_v<E, CitizenErased>) {
          return std::string(kErasureStream);
        } else if constexpr (is_planning_event<E>) {
          return std::string(kPlanningStream);
        } else {
          return placement_stream(e.placement_id);
        }
      },
      event);
}

std::string_view event_type_name(const Event& event) {
  return std::visit([](const auto& e) { return std::remove_cvref_t<decltype(e)>::kTypeName; }, event);
}

}  // namespace placement::domain
