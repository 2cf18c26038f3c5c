#pragma once
// Shared by the planner, planning-admin and replay commands (PlanningService): the stub, --by,
// --as-of, and money and percentages for tables. Money is integer øre throughout; a table shows
// kroner with two decimals, computed by integer arithmetic; --json and --csv keep the raw øre.

#include <cstdint>
#include <string>
#include <vector>

#include "clients/placectl/output.h"
#include "placement/v1/planning_service.grpc.pb.h"

namespace placement::placectl {

class Args;
class Session;

// The PlanningService stub of this run, on the Session's channel (same TLS, same token).
v1::PlanningService::Stub& planning(Session& session);

// "region,target-group,level,offer,operator" (any of them, each at most once).
std::vector<v1::GroupField> parse_group_by(const std::string& option, const std::string& text);
// --by of a view command, or nothing.
std::vector<v1::GroupField> group_by_of(const Args& args);
// The columns of a group key, in the order grouped by: region, target_group, level, offer_id, operator.
std::vector<std::string> group_columns(const std::vector<v1::GroupField>& by);
void add_group_key(Record& record, const v1::GroupKey& key, const std::vector<v1::GroupField>& by);
// The key columns of a total row: "total" in the first one of a table, null otherwise.
void add_total_key(Record& record, Format format, const std::vector<v1::GroupField>& by);

// Øre as kroner with two decimals, thousands separated by a space: 123456789 → "1 234 567.89".
std::string kroner(std::int64_t ore);
// Basis points as a percentage with two decimals: 8750 → "87.50 %".
std::string percent(std::int64_t bp);
// A money field: `<name>_kr` in kroner in a table, `<name>_ore` as the integer otherwise.
std::string money_column(Format format, const std::string& name);
void add_money(Record& record, Format format, const std::string& name, std::int64_t ore);

// --as-of N, or 0 (now).
std::uint64_t as_of_of(const Args& args);
// Today's date in UTC.
v1::CalendarDate today();
// "YYYY-MM".
v1::YearMonth parse_month(const std::string& option, const std::string& text);
std::string month_text(const v1::YearMonth& month);
// A line above a table saying what it shows; tables only (JSON Lines and CSV stay pure).
void caption(Session& session, const std::string& text);
std::string date_text(const v1::CalendarDate& date);

}  // namespace placement::placectl
