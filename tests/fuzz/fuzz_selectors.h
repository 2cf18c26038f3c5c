#pragma once
// The first byte of every fuzz input picks what the rest is; the seed corpus writer and the
// targets share these tables so a seed means the same to both.

#include <array>
#include <cstdint>
#include <string_view>

namespace placement::fuzz {

// request_fuzz: byte 0 % kRequestKinds picks the request message.
enum class RequestKind : std::uint8_t {
  register_offer,
  change_capacity,
  set_rate,
  close_offer,
  request_placement,
  reserve_place,
  allocate_place,
  admit_placement,
  transfer_placement,
  discharge_placement,
  withdraw_placement,
  reject_placement,
  search_vacancies,
  set_objective_key,
  set_block_grant,
  set_refund_tiers,
  record_income,
  capacity_view,
  financing,
  settlement,
};
inline constexpr std::uint8_t kRequestKinds = 20;

// event_codec_fuzz: byte 0 % size picks the stored type name; the last three the codec must refuse.
inline constexpr std::array<std::string_view, 25> kEventTypes = {"RegionRegistered",
                                                                 "MunicipalityRegistered",
                                                                 "ObjectiveWeightChanged",
                                                                 "OfferRegistered",
                                                                 "CapacityChanged",
                                                                 "RateSet",
                                                                 "OfferClosed",
                                                                 "PlaceProposed",
                                                                 "PlacementRequested",
                                                                 "PlacementWaitlisted",
                                                                 "PlacementReserved",
                                                                 "PlaceAllocated",
                                                                 "PlacementAdmitted",
                                                                 "PlacementTransferred",
                                                                 "PlacementDischarged",
                                                                 "PlacementWithdrawn",
                                                                 "PlacementRejected",
                                                                 "ReservationExpired",
                                                                 "ObjectiveKeySet",
                                                                 "BlockGrantSet",
                                                                 "RefundTiersSet",
                                                                 "IncomeRecorded",
                                                                 "NoSuchEvent",
                                                                 "",
                                                                 "placement.v1.OfferRegistered"};

}  // namespace placement::fuzz
