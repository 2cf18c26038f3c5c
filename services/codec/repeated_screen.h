#pragma once
// The bound on every list a request carries: a repeated field (at any depth, found by walking the
// message's descriptor, so a field added later is bounded without being listed) holds at most
// repeated_field_cap(field) entries and no entry twice. A request that a loop would have to walk
// ten thousand times, or that names one target group twice, is refused before anything is
// decided, written or logged. Requests of every RPC, reads included, are held to it.

#include <cstddef>
#include <span>
#include <string_view>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "services/base/result.h"

namespace placement::codec {

// Any repeated field of a request without a cap of its own: room for every one of the 98
// municipalities, with margin.
inline constexpr std::size_t kDefaultRepeatedCap = 128;

struct RepeatedFieldCap {
  std::string_view field;  // full protobuf name, e.g. "placement.v1.SetRefundTiersRequest.tiers"
  std::size_t cap;
};

// The fields with a cap of their own.
std::span<const RepeatedFieldCap> repeated_field_caps();

// The most entries `field` may hold: the field's own cap where the API has one (six target groups,
// a few refund tiers, a what-if for a page of offers), else kDefaultRepeatedCap.
std::size_t repeated_field_cap(const google::protobuf::FieldDescriptor& field);

// invalid_argument naming the first repeated field (as a path, e.g. "tiers" or
// "overrides[3].parts") with more entries than its cap, or with one entry twice (equal values;
// for messages, equal contents). Entries are never quoted.
Status refuse_unbounded_repeats(const google::protobuf::Message& request);

}  // namespace placement::codec
