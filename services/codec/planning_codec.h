#pragma once
// The planning-event codec: the projections' PlanningEvent (services/projections/planning_events.h)
// to the payloads storage appends, and back. Each alternative is one placement.v1 message of the
// same name (planning_events.proto); the envelope's event_type is projections::event_type_name(event)
// and the stream is projections::kPlanningStream ("planning").
//
// decode_planning_event(encode_planning_event(e)) == e for every event. Decoding refuses, with
// Errc::data_loss naming the type, an unknown type, a payload that does not parse, and values
// PlanningInputs cannot hold (a code beyond int32, a municipality named twice in a key). It does
// not re-run projections::validate. Stateless and thread-safe.

#include <string_view>

#include "services/base/result.h"
#include "services/projections/planning_events.h"
#include "storage/event_log.h"

namespace placement::codec {

storage::NewEvent encode_planning_event(const projections::PlanningEvent& event);

Result<projections::PlanningEvent> decode_planning_event(std::string_view type, std::string_view payload);
// The same into `out`, without moving the event (replay decodes straight into its batches).
Status decode_planning_event_into(std::string_view type, std::string_view payload, projections::PlanningEvent& out);

// True when `type` names a planning event (whether or not its payload decodes).
bool is_planning_event_type(std::string_view type);

}  // namespace placement::codec
