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
                      std::is_same_v<E, ObjectiveWeightChanged>) {
          return std::string(kReferenceStream);
        } else if constexpr (std::is_same_v<E, OfferRegistered> || std::is_same_v<E, CapacityChanged> ||
                             std::is_same_v<E, RateSet> || std::is_same_v<E, OfferClosed> ||
                             std::is_same_v<E, PlaceProposed>) {
          return offer_stream(e.offer_id);
        } else if constexpr (std::is_same_v<E, CitizenErased>) {
          return std::string(kErasureStream);
        } else {
          return placement_stream(e.placement_id);
        }
      },
      event);
}

std::string_view event_type_name(const Event& event) {
  struct Names {
    std::string_view operator()(const RegionRegistered&) const { return "RegionRegistered"; }
    std::string_view operator()(const MunicipalityRegistered&) const { return "MunicipalityRegistered"; }
    std::string_view operator()(const ObjectiveWeightChanged&) const { return "ObjectiveWeightChanged"; }
    std::string_view operator()(const OfferRegistered&) const { return "OfferRegistered"; }
    std::string_view operator()(const CapacityChanged&) const { return "CapacityChanged"; }
    std::string_view operator()(const RateSet&) const { return "RateSet"; }
    std::string_view operator()(const OfferClosed&) const { return "OfferClosed"; }
    std::string_view operator()(const PlaceProposed&) const { return "PlaceProposed"; }
    std::string_view operator()(const PlacementRequested&) const { return "PlacementRequested"; }
    std::string_view operator()(const PlacementWaitlisted&) const { return "PlacementWaitlisted"; }
    std::string_view operator()(const PlacementReserved&) const { return "PlacementReserved"; }
    std::string_view operator()(const PlaceAllocated&) const { return "PlaceAllocated"; }
    std::string_view operator()(const PlacementAdmitted&) const { return "PlacementAdmitted"; }
    std::string_view operator()(const PlacementTransferred&) const { return "PlacementTransferred"; }
    std::string_view operator()(const PlacementDischarged&) const { return "PlacementDischarged"; }
    std::string_view operator()(const PlacementWithdrawn&) const { return "PlacementWithdrawn"; }
    std::string_view operator()(const PlacementRejected&) const { return "PlacementRejected"; }
    std::string_view operator()(const ReservationExpired&) const { return "ReservationExpired"; }
    std::string_view operator()(const CitizenErased&) const { return "CitizenErased"; }
  };
  return std::visit(Names{}, event);
}

}  // namespace placement::domain
