#pragma once
// Every string field a request message can carry, found from its descriptor (through singular and
// repeated messages, oneofs included), with a setter: for the tests that put something in each
// field of each request without listing the fields, so a field added later is covered too.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

namespace placement::testing {

struct StringField {
  std::string path;  // as refusals name it: "tiers[0].name"
  const google::protobuf::FieldDescriptor* field;
  // Sets the field (making the messages on its path, one element of each repeated one) in a
  // message of the type it was found in.
  std::function<void(google::protobuf::Message&, const std::string&)> set;
};

namespace detail {
inline void collect_string_fields(const google::protobuf::Descriptor& type, const std::string& prefix,
                                  std::function<google::protobuf::Message&(google::protobuf::Message&)> reach,
                                  int depth, std::vector<StringField>& out) {
  using google::protobuf::FieldDescriptor;
  using google::protobuf::Message;
  if (depth > 4) return;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* field = type.field(i);
    const std::string name = prefix.empty() ? field->name() : prefix + "." + field->name();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->message_type()->full_name().rfind("google.protobuf.", 0) == 0) continue;
      auto inner = [reach, field](Message& root) -> Message& {
        Message& parent = reach(root);
        if (field->is_repeated()) return *parent.GetReflection()->AddMessage(&parent, field);
        return *parent.GetReflection()->MutableMessage(&parent, field);
      };
      collect_string_fields(*field->message_type(), field->is_repeated() ? name + "[0]" : name, inner, depth + 1, out);
    } else if (field->type() == FieldDescriptor::TYPE_STRING) {
      out.push_back(
          {field->is_repeated() ? name + "[0]" : name, field, [reach, field](Message& root, const std::string& value) {
             Message& parent = reach(root);
             if (field->is_repeated()) parent.GetReflection()->AddString(&parent, field, value);
             else parent.GetReflection()->SetString(&parent, field, value);
           }});
    }
  }
}
}  // namespace detail

inline std::vector<StringField> string_fields(const google::protobuf::Descriptor& type) {
  std::vector<StringField> out;
  detail::collect_string_fields(
      type, "", [](google::protobuf::Message& root) -> google::protobuf::Message& { return root; }, 0, out);
  return out;
}

inline std::unique_ptr<google::protobuf::Message> new_message(const google::protobuf::Descriptor& type) {
  return std::unique_ptr<google::protobuf::Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type)->New());
}

// The services of the public API, by full name.
inline const std::vector<std::string>& api_services() {
  static const std::vector<std::string> names = {"placement.v1.OfferService",    "placement.v1.PlacementService",
                                                 "placement.v1.PlanningService", "placement.v1.AuditService",
                                                 "placement.v1.AdminService",    "placement.v1.ProofService"};
  return names;
}

}  // namespace placement::testing
