// decide() for the commands about a citizen as such (not one placement): erasure.

#include "services/domain/decide_support.h"

namespace placement::domain::detail {

Result<Events> decide_command(const State& state, const Command&, const EraseCitizen& body) {
  PLACEMENT_TRY(validate_id("citizen", body.citizen_id));
  if (is_blank(body.reason)) {
    return fail(Errc::invalid_argument, "an erasure needs a reason (retention expired, or the request it answers)");
  }
  // Erasing the key of a citizen in an ongoing case would leave the caseworker unable to find it.
  for (const auto& [id, placement] : state.placements) {
    if (placement.citizen.citizen_id == body.citizen_id && is_active(placement.status)) {
      return fail(Errc::failed_precondition, "the citizen has an active placement ('" + id + "', " +
                                                 std::string(danish_term(placement.status)) +
                                                 "); discharge, withdraw or reject it before erasing the citizen");
    }
  }
  return Events{CitizenErased{body.citizen_id, body.reason}};
}

}  // namespace placement::domain::detail
