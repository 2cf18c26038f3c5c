#include "clients/placectl/values.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

#include "clients/placectl/cli.h"

namespace placement::placectl {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  std::replace(text.begin(), text.end(), '-', '_');
  return text;
}

// The enum value whose name, without its prefix, is `text` (case-insensitive).
template <class Enum>
Enum parse_enum(const std::string& option, const std::string& text, const std::string& prefix,
                bool (*parse)(const std::string&, Enum*), const std::string& choices) {
  Enum value{};
  const std::string name = upper(text);
  if (name.empty() || name == "UNSPECIFIED" || !parse(prefix + name, &value))
    throw UsageError("--" + option + " must be one of " + choices);
  return value;
}

std::string strip(const std::string& name, std::string_view prefix) {
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

}  // namespace

v1::CalendarDate parse_date(const std::string& option, const std::string& text) {
  int year = 0, month = 0, day = 0;
  char rest = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &rest) != 3 ||
      text[4] != '-' || text[7] != '-' || month < 1 || month > 12 || day < 1 || day > 31 || year < 1)
    throw UsageError("--" + option + " takes a date as YYYY-MM-DD");
  v1::CalendarDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

Value date_value(const v1::CalendarDate& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return {};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year(), date.month(), date.day());
  return std::string(text);
}

Value timestamp_value(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return {};
  const std::time_t seconds = static_cast<std::time_t>(timestamp.seconds());
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, timestamp.nanos() / 1000000);
  return std::string(text);
}

std::int64_t parse_int(const std::string& option, const std::string& text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    throw UsageError("--" + option + " takes a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max));
  return value;
}

std::uint64_t parse_position(const std::string& option, const std::string& text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0)
    throw UsageError("--" + option + " takes a log position, 1 or more");
  return value;
}

v1::SpecialisationLevel parse_level(const std::string& option, const std::string& text) {
  return parse_enum<v1::SpecialisationLevel>(option, text, "SPECIALISATION_LEVEL_", v1::SpecialisationLevel_Parse,
                                             "LET, MODERAT or HOJT");
}

v1::TargetGroup parse_group(const std::string& option, const std::string& text) {
  const auto number = parse_int(option, text, 1, 6);
  return static_cast<v1::TargetGroup>(number);
}

std::vector<v1::TargetGroup> parse_groups(const std::string& option, const std::string& text) {
  std::vector<v1::TargetGroup> groups;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw UsageError("--" + option + " takes target groups 1..6 separated by commas, e.g. 1,3");
    groups.push_back(parse_group(option, item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return groups;
}

v1::ServiceType parse_service_type(const std::string& option, const std::string& text) {
  return parse_enum<v1::ServiceType>(option, text, "SERVICE_TYPE_", v1::ServiceType_Parse,
                                     "DOGN, INSTITUTION, DAGTILBUD, RAADGIVNING, SPECIALUNDERVISNING or SIKRET");
}

v1::FinancingModel parse_model(const std::string& option, const std::string& text) {
  return parse_enum<v1::FinancingModel>(option, text, "FINANCING_MODEL_", v1::FinancingModel_Parse,
                                        "TAKST, BASIS, OBJEKTIV or MIXED");
}

v1::PlacementStatus parse_status(const std::string& option, const std::string& text) {
  return parse_enum<v1::PlacementStatus>(
      option, text, "PLACEMENT_STATUS_", v1::PlacementStatus_Parse,
      "REQUESTED, WAITLISTED, RESERVED, ADMITTED, DISCHARGED, REJECTED, WITHDRAWN or RESERVATION_EXPIRED");
}

std::uint32_t parse_catchment(const std::string& option, const std::string& text) {
  if (text == "national" || text == "NATIONAL") return 0;
  return static_cast<std::uint32_t>(parse_int(option, text, 1, 9999));
}

std::string level_name(v1::SpecialisationLevel level) {
  return strip(v1::SpecialisationLevel_Name(level), "SPECIALISATION_LEVEL_");
}

int group_number(v1::TargetGroup group) { return static_cast<int>(group); }

std::string groups_text(const google::protobuf::RepeatedField<int>& groups) {
  std::string out;
  for (int group : groups) out += (out.empty() ? "" : ",") + std::to_string(group);
  return out;
}

std::string service_type_name(v1::ServiceType type) { return strip(v1::ServiceType_Name(type), "SERVICE_TYPE_"); }

std::string model_name(v1::FinancingModel model) { return strip(v1::FinancingModel_Name(model), "FINANCING_MODEL_"); }

std::string status_name(v1::PlacementStatus status) {
  return strip(v1::PlacementStatus_Name(status), "PLACEMENT_STATUS_");
}

std::string role_name(v1::Role role) {
  std::string name = strip(v1::Role_Name(role), "ROLE_");
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

}  // namespace placement::placectl
