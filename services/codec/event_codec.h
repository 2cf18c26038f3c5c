#pragma once
// The event codec: domain events to the payloads storage appends, and back. Each event type is one
// placement.v1 message of the same name (events.proto, reference_events.proto,
// planning_events.proto); the envelope's
// event_type is domain::event_type_name(event).
//
// decode_event(encode_event(e)) == e for every valid event. Decoding refuses, with
// Errc::data_loss and a message naming the type, an unknown type, a payload that does not parse,
// and a payload whose values the domain cannot hold (UNSPECIFIED or unknown enum, impossible date,
// missing date, instant or sub-message, code beyond int32). It does not re-run domain rules.
// Stateless and thread-safe.

#include <string_view>

#include "placement/v1/envelope.pb.h"
#include "services/base/result.h"
#include "services/domain/events.h"
#include "storage/event_log.h"

namespace placement::codec {

storage::NewEvent encode_event(const domain::Event& event);

Result<domain::Event> decode_event(std::string_view type, std::string_view payload);
// The same into `out`, without moving the event (replay decodes straight into its batches).
Status decode_event_into(std::string_view type, std::string_view payload, domain::Event& out);

// The same, for an event read back from the log.
Result<domain::Event> decode_event(const v1::EventEnvelope& envelope);

}  // namespace placement::codec
