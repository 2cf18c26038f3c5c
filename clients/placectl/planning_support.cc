#include "clients/placectl/planning_support.h"

#include <chrono>
#include <cstdio>
#include <memory>

#include "clients/placectl/cli.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"

namespace placement::placectl {
namespace {

struct GroupName {
  const char* option;
  const char* column;
  v1::GroupField field;
};

constexpr GroupName kGroups[] = {
    {"region", "region", v1::GROUP_FIELD_REGION},       {"target-group", "target_group", v1::GROUP_FIELD_TARGET_GROUP},
    {"level", "level", v1::GROUP_FIELD_LEVEL},          {"offer", "offer_id", v1::GROUP_FIELD_OFFER},
    {"operator", "operator", v1::GROUP_FIELD_OPERATOR},
};

const char* column_of(v1::GroupField field) {
  for (const auto& group : kGroups)
    if (group.field == field) return group.column;
  return "?";
}

}  // namespace

v1::PlanningService::Stub& planning(Session& session) {
  // One Session per run, so one stub per run, on the Session's channel and its credentials.
  static std::unique_ptr<v1::PlanningService::Stub> stub;
  if (!stub) stub = v1::PlanningService::NewStub(session.channel());
  return *stub;
}

std::vector<v1::GroupField> parse_group_by(const std::string& option, const std::string& text) {
  std::vector<v1::GroupField> fields;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const GroupName* found = nullptr;
    for (const auto& group : kGroups)
      if (name == group.option) found = &group;
    if (found == nullptr)
      throw UsageError("--" + option +
                       " takes region, target-group, level, offer and/or operator, separated by commas");
    for (auto field : fields)
      if (field == found->field) throw UsageError("--" + option + " names " + name + " twice");
    fields.push_back(found->field);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

std::vector<v1::GroupField> group_by_of(const Args& args) {
  auto by = args.find("by");
  return by ? parse_group_by("by", *by) : std::vector<v1::GroupField>{};
}

std::vector<std::string> group_columns(const std::vector<v1::GroupField>& by) {
  std::vector<std::string> columns;
  for (auto field : by) columns.emplace_back(column_of(field));
  return columns;
}

void add_group_key(Record& record, const v1::GroupKey& key, const std::vector<v1::GroupField>& by) {
  for (auto field : by) {
    switch (field) {
      case v1::GROUP_FIELD_REGION: record.add("region", key.region_code()); break;
      case v1::GROUP_FIELD_TARGET_GROUP: record.add("target_group", group_number(key.target_group())); break;
      case v1::GROUP_FIELD_LEVEL: record.add("level", level_name(key.level())); break;
      case v1::GROUP_FIELD_OFFER: record.add("offer_id", key.offer_id()); break;
      case v1::GROUP_FIELD_OPERATOR: record.add("operator", key.operator_code()); break;
      default: break;
    }
  }
}

void add_total_key(Record& record, Format format, const std::vector<v1::GroupField>& by) {
  bool first = true;
  for (const auto& column : group_columns(by)) {
    record.add(column, first && format == Format::table ? Value("total") : Value());
    first = false;
  }
}

std::string kroner(std::int64_t ore) {
  const bool negative = ore < 0;
  // Unsigned, so that the most negative øre amount has a magnitude too.
  const std::uint64_t magnitude =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(ore) : static_cast<std::uint64_t>(ore);
  const std::string whole = std::to_string(magnitude / 100);
  std::string text = negative ? "-" : "";
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i != 0 && (whole.size() - i) % 3 == 0) text += ' ';
    text += whole[i];
  }
  const std::uint64_t hundredths = magnitude % 100;
  return text + (hundredths < 10 ? ".0" : ".") + std::to_string(hundredths);
}

std::string percent(std::int64_t bp) {
  const bool negative = bp < 0;
  const std::uint64_t magnitude =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(bp) : static_cast<std::uint64_t>(bp);
  const std::uint64_t hundredths = magnitude % 100;
  return (negative ? "-" : "") + std::to_string(magnitude / 100) + (hundredths < 10 ? ".0" : ".") +
         std::to_string(hundredths) + " %";
}

std::string money_column(Format format, const std::string& name) {
  return name + (format == Format::table ? "_kr" : "_ore");
}

void add_money(Record& record, Format format, const std::string& name, std::int64_t ore) {
  if (format == Format::table) record.add(name + "_kr", kroner(ore));
  else record.add(name + "_ore", ore);
}

std::uint64_t as_of_of(const Args& args) {
  auto position = args.find("as-of");
  return position ? parse_position("as-of", *position) : 0;
}

v1::CalendarDate today() {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  v1::CalendarDate date;
  date.set_year(static_cast<int>(day.year()));
  date.set_month(static_cast<int>(static_cast<unsigned>(day.month())));
  date.set_day(static_cast<int>(static_cast<unsigned>(day.day())));
  return date;
}

v1::YearMonth parse_month(const std::string& option, const std::string& text) {
  if (text.size() != 7 || text[4] != '-') throw UsageError("--" + option + " takes a month as YYYY-MM");
  v1::YearMonth month;
  try {
    month.set_year(static_cast<std::int32_t>(parse_int(option, text.substr(0, 4), 1, 9999)));
    month.set_month(static_cast<std::uint32_t>(parse_int(option, text.substr(5, 2), 1, 12)));
  } catch (const UsageError&) {
    throw UsageError("--" + option + " takes a month as YYYY-MM");
  }
  return month;
}

std::string month_text(const v1::YearMonth& month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", month.year(), month.month());
  return text;
}

void caption(Session& session, const std::string& text) {
  if (session.globals().format == Format::table) session.stdout_stream() << text << '\n';
}

std::string date_text(const v1::CalendarDate& date) { return date_value(date).text(); }

}  // namespace placement::placectl
