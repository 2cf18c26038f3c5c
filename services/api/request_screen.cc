#include "services/api/request_screen.h"

#include <google/protobuf/descriptor.h>

#include "services/codec/cpr_screen.h"
#include "services/domain/queries.h"

namespace placement::api {

Status refuse_cpr_numbers(const google::protobuf::Message& request, const ledger::Ledger& ledger) {
  return codec::refuse_cpr_numbers(request, [&ledger](const google::protobuf::FieldDescriptor& field,
                                                      std::string_view value) {
    const std::string& message = field.containing_type()->full_name();
    const bool placement = field.name() == "placement_id" && message != "placement.v1.RequestPlacementRequest";
    const bool offer =
        (field.name() == "offer_id" || field.name() == "to_offer_id") && message != "placement.v1.RegisterOfferRequest";
    if (!placement && !offer) return false;
    return ledger.read([&](const domain::State& state) {
      return placement ? domain::find_placement(state, value) != nullptr : domain::find_offer(state, value) != nullptr;
    });
  });
}

}  // namespace placement::api
