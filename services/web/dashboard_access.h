#pragma once
// Who may open the dashboard: the one place the web module consults the role table
// (services/api/caller.*). The dashboard shows what other municipalities pay, so it admits the
// roles that may read financing (planner, auditor, admin) and refuses every other role with
// permission_denied; each view is then checked against the RPC it mirrors.

#include "placement/v1/envelope.pb.h"
#include "services/api/caller.h"
#include "services/base/result.h"

namespace placement::web {

Status authorize_dashboard(const v1::Actor& caller, api::Rpc mirrored);

}  // namespace placement::web
