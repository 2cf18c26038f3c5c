#pragma once
// The fields of a stored envelope a replay needs, read in place from its bytes: the position, the
// event type and the payload, as views into those bytes. Parsing a whole v1::EventEnvelope copies
// every string (ids, actor, payload, previous hash) for each event; a replay of millions of events
// only reads these three.
//
// Reads the protobuf wire format as the generated parser does: a field seen twice keeps its last
// value, unknown fields and known fields of another wire type are skipped. Unlike the full parse
// it does not check that event_type is valid UTF-8 (a type that is not one of the known ASCII
// names is refused by the codec anyway).

#include <cstdint>
#include <string_view>

#include "services/base/result.h"

namespace placement::storage {

struct EnvelopeView {
  std::uint64_t position = 0;
  std::string_view event_type;
  std::string_view payload;
};

// Errors (data_loss): bytes that are not a well-formed protobuf message.
Result<EnvelopeView> view_envelope(std::string_view envelope_bytes);

}  // namespace placement::storage
