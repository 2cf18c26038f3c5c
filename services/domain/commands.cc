#include "services/domain/commands.h"

#include <iterator>

namespace placement::domain {

std::string_view command_type_name(const CommandBody& body) {
  // Indexed by the variant's alternatives, in their order in CommandBody.
  static constexpr std::string_view kNames[] = {
      "RegisterRegion", "RegisterMunicipality", "SetObjectiveWeight", "RegisterOffer",      "ChangeCapacity",
      "SetRate",        "CloseOffer",           "RequestPlacement",   "ReservePlace",       "AllocatePlace",
      "AdmitPlacement", "TransferPlacement",    "DischargePlacement", "WithdrawPlacement", "RejectPlacement",
      "ExpireReservation", "EraseCitizen"};
  static_assert(std::size(kNames) == std::variant_size_v<CommandBody>, "name every command type");
  return kNames[body.index()];
}

}  // namespace placement::domain
