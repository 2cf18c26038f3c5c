#include "services/web/dashboard_access.h"

namespace placement::web {

Status authorize_dashboard(const v1::Actor& caller, api::Rpc mirrored) {
  PLACEMENT_TRY(api::authorize(caller, api::Rpc::planning_financing));
  return api::authorize(caller, mirrored);
}

}  // namespace placement::web
