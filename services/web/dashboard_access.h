#pragma once
// Who may open the dashboard: the one place the web module consults the role table
// (services/api/caller.*). Every page shows all municipalities and all operators (what each pays,
// every offer's capacity): no page has a municipality's or an operator's scope. So it admits the
// roles that may read financing unscoped (planner, auditor, admin) and refuses operators,
// caseworkers and finance staff with permission_denied; each view is then checked against the
// RPC it mirrors.

#include "placement/v1/envelope.pb.h"
#include "services/api/caller.h"
#include "services/base/result.h"

namespace placement::web {

Status authorize_dashboard(const v1::Actor& caller, api::Rpc mirrored);

}  // namespace placement::web
