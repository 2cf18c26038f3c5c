#include "services/codec/cpr_screen.h"

#include <array>
#include <string>

#include <google/protobuf/descriptor.h>

#include "services/domain/cpr.h"

namespace placement::codec {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr std::array<std::string_view, 4> kCprFields = {
    "placement.v1.RequestPlacementRequest.cpr",
    "placement.v1.RequestPlacementRequest.household_reference",
    "placement.v1.EraseCitizenRequest.cpr",
    "placement.v1.ListPlacementsRequest.cpr",
};

// A UUID (8-4-4-4-12 hexadecimal digits, as clients make command ids) is drawn at random, not typed:
// about 0.7 % of random ones hold 10 digits that start with a date, so UUIDs pass.
bool is_uuid(std::string_view value) {
  if (value.size() != 36) return false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string path_of(const std::string& prefix, const FieldDescriptor& field, int index) {
  std::string path = prefix.empty() ? field.name() : prefix + "." + field.name();
  if (index >= 0) path += "[" + std::to_string(index) + "]";
  return path;
}

Status screen(const Message& message, const std::string& prefix, const StoredReference& stored) {
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);  // the fields set, oneofs and nested messages included
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const int count = field->is_repeated() ? reflection.FieldSize(message, field) : 1;
      for (int i = 0; i < count; ++i) {
        const Message& inner = field->is_repeated() ? reflection.GetRepeatedMessage(message, field, i)
                                                    : reflection.GetMessage(message, field);
        const Status clean = screen(inner, path_of(prefix, *field, field->is_repeated() ? i : -1), stored);
        if (!clean) return clean;
      }
      continue;
    }
    if (field->type() != FieldDescriptor::TYPE_STRING || is_cpr_field(*field)) continue;
    const int count = field->is_repeated() ? reflection.FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      std::string scratch;
      const std::string& value = field->is_repeated()
                                     ? reflection.GetRepeatedStringReference(message, field, i, &scratch)
                                     : reflection.GetStringReference(message, field, &scratch);
      if (!domain::holds_cpr_number(value) || is_uuid(value)) continue;
      if (stored && stored(*field, value)) continue;
      return fail(Errc::invalid_argument, path_of(prefix, *field, field->is_repeated() ? i : -1) +
                                              " holds what looks like a CPR number (10 digits starting with a "
                                              "date, however spaced or dashed); CPR numbers are never stored: "
                                              "use a case number or another reference");
    }
  }
  return ok();
}

}  // namespace

bool is_cpr_field(const FieldDescriptor& field) {
  for (std::string_view name : kCprFields)
    if (field.full_name() == name) return true;
  return false;
}

Status refuse_cpr_numbers(const Message& request, const StoredReference& stored) { return screen(request, "", stored); }

}  // namespace placement::codec
