#pragma once
// The one check that keeps CPR numbers out of everything a write stores or logs: every string of a
// request (free text, caller-chosen ids, references, nested and repeated fields alike, found by
// walking the message's descriptor, so a field added later is checked without being listed) is
// held to domain::holds_cpr_number, except the fields whose very purpose is a CPR number (they are
// pseudonymised at the edge and never stored). A value that is a whole UUID (8-4-4-4-12 hexadecimal
// digits) passes: it is machine-made, and 0.7 % of random ones would otherwise be refused. Run before
// anything is decided, written or logged.

#include <functional>
#include <string_view>

#include <google/protobuf/message.h>

#include "services/base/result.h"

namespace placement::codec {

// The fields of the public API that take a CPR number on purpose (full protobuf names):
// RequestPlacementRequest.cpr and .household_reference, EraseCitizenRequest.cpr,
// ListPlacementsRequest.cpr.
bool is_cpr_field(const google::protobuf::FieldDescriptor& field);

// Whether `value` of `field` is an id the log already holds and the request only refers to (an
// existing placement or offer): it adds nothing new and passes. Consulted only for a value that
// looks like a CPR number (ids the server generated before this check may, by chance).
using StoredReference = std::function<bool(const google::protobuf::FieldDescriptor& field, std::string_view value)>;

// invalid_argument naming the first field (as a path, e.g. "tiers[2].name") that holds a CPR number
// in any spelling; the value itself is never quoted.
Status refuse_cpr_numbers(const google::protobuf::Message& request, const StoredReference& stored = {});

}  // namespace placement::codec
