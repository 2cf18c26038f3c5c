#pragma once
// placectl's JSON: compact (no white space), an object's keys in the record's order, strings
// escaped as RFC 8259 asks (control characters as \u00XX) and UTF-8 passed through unchanged.
// No dependency beyond the standard library.

#include <iosfwd>
#include <string_view>

#include "clients/placectl/output.h"

namespace placement::placectl {

void write_json_string(std::ostream& out, std::string_view text);
// null, true/false, a number, a string, or a list as an array of objects.
void write_json(std::ostream& out, const Value& value);

// How write_json(Record) writes a field that holds a list of exactly one record.
enum class OneRecordList {
  array,   // as a list like any other: [{...}]
  object,  // as that record's object: {...} (an exported event's actor, a verdict)
};
// The record as one object. OneRecordList applies to the record's own fields only; lists nested
// deeper are always arrays.
void write_json(std::ostream& out, const Record& record, OneRecordList one_record_list = OneRecordList::array);

}  // namespace placement::placectl
