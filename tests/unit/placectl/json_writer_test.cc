// The JSON placectl writes, byte for byte: escaping, values, and lists of one record as objects.

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "clients/placectl/json_writer.h"

namespace placement::placectl {
namespace {

std::string json_string(std::string_view text) {
  std::ostringstream out;
  write_json_string(out, text);
  return out.str();
}

std::string json(const Value& value) {
  std::ostringstream out;
  write_json(out, value);
  return out.str();
}

std::string json(const Record& record, OneRecordList one_record_list = OneRecordList::array) {
  std::ostringstream out;
  write_json(out, record, one_record_list);
  return out.str();
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_string(""), R"("")");
  EXPECT_EQ(json_string("say \"hi\""), R"("say \"hi\"")");
  EXPECT_EQ(json_string("C:\\data"), R"("C:\\data")");
  EXPECT_EQ(json_string("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(json_string(std::string("a\0b", 3)), R"("a\u0000b")");
  EXPECT_EQ(json_string("\x01\x1f"), R"("\u0001\u001f")");
}

TEST(JsonWriterTest, PassesUtf8AndOtherBytesThrough) {
  EXPECT_EQ(json_string("Bofællesskabet Ø/å §"), "\"Bofællesskabet Ø/å §\"");
  EXPECT_EQ(json_string("\x7f/<>"), "\"\x7f/<>\"");
}

TEST(JsonWriterTest, WritesEachKindOfValue) {
  EXPECT_EQ(json(Value()), "null");
  EXPECT_EQ(json(Value(true)), "true");
  EXPECT_EQ(json(Value(false)), "false");
  EXPECT_EQ(json(Value(std::numeric_limits<std::int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(json(Value(std::numeric_limits<std::uint64_t>::max())), "18446744073709551615");
  EXPECT_EQ(json(Value("text")), R"("text")");
  EXPECT_EQ(json(Value(Value::List{})), "[]");
  EXPECT_EQ(json(Value(Value::List{Record().add("a", 1), Record().add("a", 2)})), R"([{"a":1},{"a":2}])");
}

TEST(JsonWriterTest, WritesARecordsFieldsInOrderWithoutWhiteSpace) {
  EXPECT_EQ(json(Record()), "{}");
  const Record record =
      Record().add("z", 1).add("a", Value()).add("m", "x\ny").add("nested", Value::List{Record().add("k", true)});
  EXPECT_EQ(json(record), R"({"z":1,"a":null,"m":"x\ny","nested":[{"k":true}]})");
}

TEST(JsonWriterTest, WritesAListOfOneRecordAsAnObjectOnlyWhenAsked) {
  const Record inner = Record().add("subject", "admin-1").add("role", "admin");
  const Record record = Record().add("position", 7U).add("actor", Value::List{inner});
  EXPECT_EQ(json(record), R"({"position":7,"actor":[{"subject":"admin-1","role":"admin"}]})");
  EXPECT_EQ(json(record, OneRecordList::object), R"({"position":7,"actor":{"subject":"admin-1","role":"admin"}})");
}

TEST(JsonWriterTest, KeepsOtherListsAsArraysWhenListsOfOneAreObjects) {
  const Record record = Record()
                            .add("none", Value::List{})
                            .add("two", Value::List{Record().add("a", 1), Record().add("a", 2)})
                            .add("deep", Value::List{Record().add("inner", Value::List{Record().add("b", 3)})});
  EXPECT_EQ(json(record, OneRecordList::object), R"({"none":[],"two":[{"a":1},{"a":2}],"deep":{"inner":[{"b":3}]}})");
}

}  // namespace
}  // namespace placement::placectl
