#pragma once
// The dashboard's JSON API: GET requests answered from the planning views (the same models and
// the same view functions as PlanningService, services/api/planning_queries.h), in-process.
//
//   /api/head                         the head: {position, recorded_at}
//   /api/names?date&as_of=N          regions (existing on the date or not), municipalities and offers
//                                     with their names, and their region and operator on the date
//   /api/capacity?date=D&by=F,…       PlanningService.GetCapacity
//   /api/occupancy?from&to&by         PlanningService.GetOccupancy
//   /api/occupancy-series?from&to&by  GetOccupancy for each calendar month of [from, to)
//   /api/waiting?date=D               PlanningService.GetWaitingLists
//   /api/financing?from&to            PlanningService.GetFinancing: municipalities, regions, totals
//   /api/financing-models?from&to     GetFinancing once per financing model, every OBJEKTIV offer
//                                     financed by that model (a what-if; nothing is written); the
//                                     four views are computed on threads of their own at once
// Every view takes as_of=N (0 or absent: now) and answers {"stamp": {position, recorded_at}, …}.
//
// Privacy: a planner sees no citizen. Every answer is built from views that carry only offers,
// codes and counts (capacity, occupancy, waiting lists, financing); the settlement view, whose
// lines name placements and stays, is not served. Settlement is left to placectl.
//
// Thread-safe: handle() may run on several threads at once.

#include <cstdint>
#include <string>
#include <string_view>

#include "placement/v1/envelope.pb.h"
#include "services/api/caller.h"
#include "services/base/result.h"
#include "services/ledger/planning_views.h"
#include "services/web/http_query.h"
#include "storage/event_log.h"

namespace placement::web {

struct Reply {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
};

class DashboardApi {
 public:
  DashboardApi(ledger::PlanningViews& views, const storage::EventLog& log, const api::Authenticator& authenticator)
      : views_(views), log_(log), authenticator_(authenticator) {}

  // The caller named by an Authorization header value ("Bearer <token>"), admitted to the
  // dashboard: unauthenticated or permission_denied otherwise.
  Result<v1::Actor> caller(std::string_view authorization) const;

  // Answers GET `target` (path and query) for an authorization header value. 401 without a valid
  // token, 403 for a role the dashboard refuses, 400 for bad parameters, 404 for an unknown path.
  Reply handle(std::string_view target, std::string_view authorization) const;

  // One line of the live stream: {"position":N,"recorded_at":"…"} and a newline.
  std::string live_line(Position head) const;

 private:
  Result<std::string> answer(const std::string& path, const Target& target, const v1::Actor& caller) const;
  // {"position":N,"recorded_at":"…"} for the event at `position` (recorded_at empty for 0).
  std::string stamp(std::uint64_t position) const;

  ledger::PlanningViews& views_;
  const storage::EventLog& log_;
  const api::Authenticator& authenticator_;
};

// The HTTP status for an error code.
int http_status(Errc code);

}  // namespace placement::web
