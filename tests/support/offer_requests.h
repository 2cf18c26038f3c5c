#pragma once
// A plain TAKST offer registration for tests that need offers to exist, not particular ones.

#include <cstdint>
#include <string>

#include "placement/v1/offer_service.pb.h"

namespace placement::testing {

inline v1::RegisterOfferRequest simple_offer_request(const std::string& command_id, const std::string& offer_id,
                                                     std::uint32_t region = 1084) {
  v1::RegisterOfferRequest request;
  request.set_command_id(command_id);
  request.set_offer_id(offer_id);
  request.set_name("Botilbud " + offer_id);
  request.set_operator_code(region);
  request.set_level(v1::SPECIALISATION_LEVEL_MODERAT);
  request.add_target_groups(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
  request.set_service_type(v1::SERVICE_TYPE_DOGN);
  request.set_paragraph_of_law("SEL § 108");
  request.set_catchment_region_code(region);
  request.mutable_financing()->set_model(v1::FINANCING_MODEL_TAKST);
  return request;
}

}  // namespace placement::testing
