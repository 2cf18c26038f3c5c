#include "clients/placectl/json_writer.h"

#include <cstdio>
#include <ostream>

namespace placement::placectl {

void write_json_string(std::ostream& out, std::string_view text) {
  out << '"';
  for (char c : text) {
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\b': out << "\\b"; break;
      case '\f': out << "\\f"; break;
      case '\n': out << "\\n"; break;
      case '\r': out << "\\r"; break;
      case '\t': out << "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out << escaped;
        } else {
          out << c;  // UTF-8 passes through unchanged
        }
    }
  }
  out << '"';
}

void write_json(std::ostream& out, const Value& value) {
  switch (value.kind) {
    case Value::Kind::null: out << "null"; return;
    case Value::Kind::boolean: out << (value.boolean ? "true" : "false"); return;
    case Value::Kind::signed_integer: out << value.signed_integer; return;
    case Value::Kind::unsigned_integer: out << value.unsigned_integer; return;
    case Value::Kind::string: write_json_string(out, value.string); return;
    case Value::Kind::list:
      out << '[';
      for (std::size_t i = 0; i < value.list.size(); ++i) {
        if (i) out << ',';
        write_json(out, value.list[i]);
      }
      out << ']';
      return;
  }
}

void write_json(std::ostream& out, const Record& record, OneRecordList one_record_list) {
  out << '{';
  bool first = true;
  for (const auto& [key, value] : record.fields) {
    if (!first) out << ',';
    first = false;
    write_json_string(out, key);
    out << ':';
    const bool as_object = one_record_list == OneRecordList::object && value.is_list() && value.list.size() == 1;
    if (as_object) write_json(out, value.list.front());
    else write_json(out, value);
  }
  out << '}';
}

}  // namespace placement::placectl
