#include "clients/placectl/output.h"

#include <algorithm>
#include <cctype>
#include <ostream>

#include "clients/placectl/json_writer.h"

namespace placement::placectl {
namespace {

const Value* find(const Record& record, std::string_view key) {
  for (const auto& [name, value] : record.fields)
    if (name == key) return &value;
  return nullptr;
}

// Columns are measured in characters, not bytes, so Danish names (æ, ø, å) line up.
std::size_t display_width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++width;  // count every byte that starts a UTF-8 sequence
  return width;
}

std::string padded(const std::string& text, std::size_t width) {
  const std::size_t shown = display_width(text);
  return shown >= width ? text : text + std::string(width - shown, ' ');
}

// Human text of a nested list: "a=1 b=2; a=3 b=4".
std::string list_text(const Value::List& list) {
  std::string out;
  for (const auto& record : list) {
    if (!out.empty()) out += "; ";
    bool first = true;
    for (const auto& [key, value] : record.fields) {
      if (value.is_null()) continue;
      if (!first) out += ' ';
      first = false;
      out += key + "=" + value.text();
    }
  }
  return out;
}

}  // namespace

std::string Value::text() const {
  switch (kind) {
    case Kind::null: return "";
    case Kind::boolean: return boolean ? "yes" : "no";
    case Kind::signed_integer: return std::to_string(signed_integer);
    case Kind::unsigned_integer: return std::to_string(unsigned_integer);
    case Kind::string: return string;
    case Kind::list: return list_text(list);
  }
  return "";
}

std::string csv_cell(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

void Output::single(const Record& record) {
  switch (format_) {
    case Format::json:
      write_json(out_, record);
      out_ << '\n';
      return;
    case Format::csv: {
      std::vector<std::string> columns;
      for (const auto& field : record.fields) columns.push_back(field.first);
      list({record}, columns);
      return;
    }
    case Format::table: {
      std::size_t width = 0;
      for (const auto& field : record.fields) width = std::max(width, display_width(field.first));
      for (const auto& [key, value] : record.fields) {
        if (value.is_list()) {
          out_ << padded(key, width) << " :" << (value.list.empty() ? " -" : "") << '\n';
          for (const auto& item : value.list)
            out_ << padded("", width) << "   " << Value(Value::List{item}).text() << '\n';
        } else {
          out_ << padded(key, width) << " : " << (value.is_null() ? "-" : value.text()) << '\n';
        }
      }
      return;
    }
  }
}

void Output::list(const std::vector<Record>& records, const std::vector<std::string>& columns) {
  auto cell = [](const Record& record, const std::string& column) {
    const Value* value = find(record, column);
    return value ? value->text() : std::string();
  };
  switch (format_) {
    case Format::json:
      for (const auto& record : records) {
        write_json(out_, record);
        out_ << '\n';
      }
      return;
    case Format::csv:
      for (std::size_t i = 0; i < columns.size(); ++i) out_ << (i ? "," : "") << csv_cell(columns[i]);
      out_ << '\n';
      for (const auto& record : records) {
        for (std::size_t i = 0; i < columns.size(); ++i) out_ << (i ? "," : "") << csv_cell(cell(record, columns[i]));
        out_ << '\n';
      }
      return;
    case Format::table: {
      if (records.empty()) {
        out_ << "(none)\n";
        return;
      }
      std::vector<std::size_t> widths;
      for (const auto& column : columns) widths.push_back(display_width(column));
      for (const auto& record : records)
        for (std::size_t i = 0; i < columns.size(); ++i)
          widths[i] = std::max(widths[i], display_width(cell(record, columns[i])));
      auto line = [&](auto&& text_of) {
        std::string row;
        for (std::size_t i = 0; i < columns.size(); ++i) {
          if (i) row += "  ";
          row += i + 1 == columns.size() ? text_of(i) : padded(text_of(i), widths[i]);
        }
        out_ << row << '\n';
      };
      std::vector<std::string> header;
      for (const auto& column : columns) {
        std::string upper = column;
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
        header.push_back(upper);
      }
      line([&](std::size_t i) { return header[i]; });
      for (const auto& record : records) line([&](std::size_t i) { return cell(record, columns[i]); });
      return;
    }
  }
}

void Output::stream_header(const std::vector<std::pair<std::string, std::size_t>>& columns) {
  stream_columns_ = columns;
  if (format_ == Format::json) return;
  std::string row;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    // Separator and cell are appended apart: `"," + std::string` trips GCC 12's -Wrestrict at -O3.
    if (i) row += format_ == Format::csv ? "," : "  ";
    if (format_ == Format::csv) {
      row += csv_cell(columns[i].first);
      continue;
    }
    std::string upper = columns[i].first;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    row += i + 1 == columns.size() ? upper : padded(upper, columns[i].second);
  }
  out_ << row << '\n' << std::flush;
}

void Output::stream_row(const Record& record) {
  if (format_ == Format::json) {
    write_json(out_, record);
    out_ << '\n' << std::flush;
    return;
  }
  std::string row;
  for (std::size_t i = 0; i < stream_columns_.size(); ++i) {
    const Value* value = find(record, stream_columns_[i].first);
    const std::string text = value ? value->text() : std::string();
    if (i) row += format_ == Format::csv ? "," : "  ";
    if (format_ == Format::csv) row += csv_cell(text);
    else row += i + 1 == stream_columns_.size() ? text : padded(text, stream_columns_[i].second);
  }
  out_ << row << '\n' << std::flush;
}

}  // namespace placement::placectl
