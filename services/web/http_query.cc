#include "services/web/http_query.h"

#include <charconv>

#include "services/codec/vocabulary_codec.h"
#include "services/domain/dates.h"

namespace placement::web {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return fail(Errc::invalid_argument, "bad % escape");
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return fail(Errc::invalid_argument, "bad % escape");
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string_view Target::get(std::string_view name) const {
  const auto it = params.find(name);
  return it == params.end() ? std::string_view{} : std::string_view(it->second);
}

Result<Target> parse_target(std::string_view target) {
  Target parsed;
  const auto question = target.find('?');
  PLACEMENT_TRY_ASSIGN(parsed.path, percent_decode(target.substr(0, question)));
  if (question == std::string_view::npos) return parsed;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    PLACEMENT_TRY(name, percent_decode(pair.substr(0, equals)));
    PLACEMENT_TRY(value,
                  percent_decode(equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1)));
    parsed.params.insert_or_assign(std::move(name), std::move(value));
  }
  return parsed;
}

Result<v1::CalendarDate> date_param(const Target& target, std::string_view name) {
  const auto text = target.get(name);
  if (text.empty()) return fail(Errc::invalid_argument, std::string(name) + ": missing (YYYY-MM-DD)");
  auto date = domain::parse_date(text);
  if (!date) return fail(Errc::invalid_argument, std::string(name) + ": not a date YYYY-MM-DD that exists");
  return codec::to_proto(date.value());
}

Result<std::uint64_t> unsigned_param(const Target& target, std::string_view name, std::uint64_t fallback) {
  const auto text = target.get(name);
  if (text.empty()) return fallback;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size())
    return fail(Errc::invalid_argument, std::string(name) + ": not a non-negative integer");
  return value;
}

Result<google::protobuf::RepeatedField<int>> group_by_param(const Target& target, std::string_view name) {
  google::protobuf::RepeatedField<int> fields;
  std::string_view list = target.get(name);
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view field = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (field == "offer") fields.Add(v1::GROUP_FIELD_OFFER);
    else if (field == "operator") fields.Add(v1::GROUP_FIELD_OPERATOR);
    else if (field == "region") fields.Add(v1::GROUP_FIELD_REGION);
    else if (field == "target_group") fields.Add(v1::GROUP_FIELD_TARGET_GROUP);
    else if (field == "level") fields.Add(v1::GROUP_FIELD_LEVEL);
    else
      return fail(Errc::invalid_argument,
                  std::string(name) + ": group by offer, operator, region, target_group or level, comma-separated");
  }
  return fields;
}

}  // namespace placement::web
