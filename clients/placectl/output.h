#pragma once
// What a command prints, kept apart from how: a command builds Records (ordered fields) and hands
// them to an Output, which writes a table for people, JSON Lines (--json) or CSV (--csv).
//
// --json always writes JSON Lines: one object per line; a list writes one line per row, a single
// answer exactly one line. --csv writes a header line and one line per row (RFC 4180 quoting);
// nested lists are flattened into one cell.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace placement::placectl {

struct Record;

// A field's value. Lists of records (e.g. an offer's capacity history) nest.
struct Value {
  using List = std::vector<Record>;
  std::variant<std::monostate, bool, std::int64_t, std::uint64_t, std::string, List> data;

  Value() = default;
  Value(bool v) : data(v) {}
  Value(int v) : data(static_cast<std::int64_t>(v)) {}
  Value(long v) : data(static_cast<std::int64_t>(v)) {}
  Value(long long v) : data(static_cast<std::int64_t>(v)) {}
  Value(unsigned v) : data(static_cast<std::uint64_t>(v)) {}
  Value(unsigned long v) : data(static_cast<std::uint64_t>(v)) {}
  Value(unsigned long long v) : data(static_cast<std::uint64_t>(v)) {}
  Value(std::string v) : data(std::move(v)) {}
  Value(const char* v) : data(std::string(v)) {}
  Value(List v) : data(std::move(v)) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(data); }
  // The value as one line of text (tables and CSV cells); null is empty.
  std::string text() const;
};

struct Record {
  std::vector<std::pair<std::string, Value>> fields;

  Record& add(std::string key, Value value) {
    fields.emplace_back(std::move(key), std::move(value));
    return *this;
  }
};

enum class Format { table, json, csv };

// Escapes and writes JSON; no dependency beyond the standard library.
void write_json_string(std::ostream& out, std::string_view text);
void write_json(std::ostream& out, const Value& value);
void write_json(std::ostream& out, const Record& record);

// CSV cell, quoted when it holds a comma, quote, CR or LF.
std::string csv_cell(std::string_view text);

class Output {
 public:
  Output(std::ostream& out, Format format) : out_(out), format_(format) {}

  Format format() const { return format_; }

  // One answer (a placement, an offer, a command result).
  void single(const Record& record);
  // A complete list, printed at once (tables are aligned to the widest cell).
  void list(const std::vector<Record>& records, const std::vector<std::string>& columns);
  // A list whose rows arrive over time (audit tail): the header is written first, each row
  // as it comes; table columns have fixed widths.
  void stream_header(const std::vector<std::pair<std::string, std::size_t>>& columns);
  void stream_row(const Record& record);

 private:
  std::ostream& out_;
  Format format_;
  std::vector<std::pair<std::string, std::size_t>> stream_columns_;
};

}  // namespace placement::placectl
