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
#include <vector>

namespace placement::placectl {

struct Record;

// A field's value. Lists of records (e.g. an offer's capacity history) nest. (A plain struct rather
// than std::variant: GCC 12 reports false maybe-uninitialized warnings for a variant holding a vector.)
struct Value {
  using List = std::vector<Record>;
  enum class Kind { null, boolean, signed_integer, unsigned_integer, string, list };

  Kind kind = Kind::null;
  bool boolean = false;
  std::int64_t signed_integer = 0;
  std::uint64_t unsigned_integer = 0;
  std::string string;
  List list;

  Value() = default;
  Value(bool v) : kind(Kind::boolean), boolean(v) {}
  Value(int v) : kind(Kind::signed_integer), signed_integer(v) {}
  Value(long v) : kind(Kind::signed_integer), signed_integer(v) {}
  Value(long long v) : kind(Kind::signed_integer), signed_integer(v) {}
  Value(unsigned v) : kind(Kind::unsigned_integer), unsigned_integer(v) {}
  Value(unsigned long v) : kind(Kind::unsigned_integer), unsigned_integer(v) {}
  Value(unsigned long long v) : kind(Kind::unsigned_integer), unsigned_integer(v) {}
  Value(std::string v) : kind(Kind::string), string(std::move(v)) {}
  Value(const char* v) : kind(Kind::string), string(v) {}
  Value(List v);

  bool is_null() const { return kind == Kind::null; }
  bool is_list() const { return kind == Kind::list; }
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

inline Value::Value(List v) : kind(Kind::list), list(std::move(v)) {}

}  // namespace placement::placectl
