#include "services/codec/repeated_screen.h"

#include <array>
#include <set>
#include <string>
#include <utility>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace placement::codec {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Fields whose natural size is far from the default. The API's documentation (docs/API.md,
// "Limits") lists the same.
constexpr std::array<RepeatedFieldCap, 7> kCaps = {{
    {"placement.v1.RegisterOfferRequest.target_groups", 6},  // the six target groups
    {"placement.v1.CapacityViewRequest.group_by", 8},        // each grouping field once
    {"placement.v1.OccupancyViewRequest.group_by", 8},
    {"placement.v1.SetRefundTiersRequest.tiers", 8},       // the law has three tiers
    {"placement.v1.StreamEventsRequest.event_types", 64},  // every event type, once
    {"placement.v1.FinancingRequest.overrides", 1000},     // a what-if for a page of offers
    {"placement.v1.SetObjectiveKeyRequest.weights", 128},  // one weight per municipality
}};

std::string path_of(const std::string& prefix, const FieldDescriptor& field, int index) {
  std::string path = prefix.empty() ? field.name() : prefix + "." + field.name();
  if (index >= 0) path += "[" + std::to_string(index) + "]";
  return path;
}

// One entry as bytes that are equal exactly when the entries are: the value itself for scalars,
// the deterministic serialisation for messages.
std::string entry_bytes(const Message& message, const Reflection& reflection, const FieldDescriptor& field, int i) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return reflection.GetRepeatedString(message, &field, i);
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      std::string bytes;
      google::protobuf::io::StringOutputStream stream(&bytes);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      reflection.GetRepeatedMessage(message, &field, i).SerializeToCodedStream(&coded);
      coded.Trim();
      return bytes;
    }
    case FieldDescriptor::CPPTYPE_ENUM: return std::to_string(reflection.GetRepeatedEnumValue(message, &field, i));
    case FieldDescriptor::CPPTYPE_INT32: return std::to_string(reflection.GetRepeatedInt32(message, &field, i));
    case FieldDescriptor::CPPTYPE_INT64: return std::to_string(reflection.GetRepeatedInt64(message, &field, i));
    case FieldDescriptor::CPPTYPE_UINT32: return std::to_string(reflection.GetRepeatedUInt32(message, &field, i));
    case FieldDescriptor::CPPTYPE_UINT64: return std::to_string(reflection.GetRepeatedUInt64(message, &field, i));
    case FieldDescriptor::CPPTYPE_BOOL: return reflection.GetRepeatedBool(message, &field, i) ? "1" : "0";
    case FieldDescriptor::CPPTYPE_DOUBLE: return std::to_string(reflection.GetRepeatedDouble(message, &field, i));
    case FieldDescriptor::CPPTYPE_FLOAT: return std::to_string(reflection.GetRepeatedFloat(message, &field, i));
  }
  return {};
}

Status screen(const Message& message, const std::string& prefix) {
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (!field->is_repeated()) {
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
      if (auto bounded = screen(reflection.GetMessage(message, field), path_of(prefix, *field, -1)); !bounded)
        return bounded;
      continue;
    }
    const auto count = static_cast<std::size_t>(reflection.FieldSize(message, field));
    const std::size_t cap = repeated_field_cap(*field);
    if (count > cap) {
      return fail(Errc::invalid_argument, path_of(prefix, *field, -1) + " has " + std::to_string(count) +
                                              " entries; at most " + std::to_string(cap) + " are accepted");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < count; ++i) {
      const int index = static_cast<int>(i);
      if (!seen.insert(entry_bytes(message, reflection, *field, index)).second) {
        return fail(Errc::invalid_argument, path_of(prefix, *field, index) + " repeats an earlier entry of " +
                                                path_of(prefix, *field, -1) + "; name each once");
      }
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
      const Message& entry = reflection.GetRepeatedMessage(message, field, index);
      if (auto bounded = screen(entry, path_of(prefix, *field, index)); !bounded) return bounded;
    }
  }
  return ok();
}

}  // namespace

std::span<const RepeatedFieldCap> repeated_field_caps() { return kCaps; }

std::size_t repeated_field_cap(const FieldDescriptor& field) {
  for (const auto& [name, cap] : kCaps)
    if (field.full_name() == name) return cap;
  return kDefaultRepeatedCap;
}

Status refuse_unbounded_repeats(const Message& request) { return screen(request, ""); }

}  // namespace placement::codec
