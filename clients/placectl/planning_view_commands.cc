// Planner views: capacity, occupancy and waiting lists (PlanningService), and the auditor's
// `audit replay`, which shows the same views as they were at a log position.

#include <algorithm>

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/organisation_support.h"
#include "clients/placectl/planning_support.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"

namespace placement::placectl {
namespace {

void add_counts(Record& record, const v1::PlaceCounts& counts) {
  record.add("open", counts.open())
      .add("occupied", counts.occupied())
      .add("reserved", counts.reserved())
      .add("vacant", counts.vacant())
      .add("waiting", counts.waiting());
}

std::vector<std::string> with_keys(const std::vector<v1::GroupField>& by, std::vector<std::string> columns) {
  auto all = group_columns(by);
  all.insert(all.end(), columns.begin(), columns.end());
  return all;
}

// The rows, then (when grouped) a total row whose key columns are empty.
std::vector<Record> capacity_rows(Format format, const v1::CapacityViewResponse& response,
                                  const std::vector<v1::GroupField>& by) {
  std::vector<Record> rows;
  for (const auto& row : response.rows()) {
    Record record;
    add_group_key(record, row.key(), by);
    record.add("offers", row.offers());
    add_counts(record, row.counts());
    rows.push_back(std::move(record));
  }
  if (!by.empty()) {
    Record total;
    add_total_key(total, format, by);
    total.add("offers", Value());
    add_counts(total, response.total());
    rows.push_back(std::move(total));
  }
  return rows;
}

const std::vector<std::string> kCapacityColumns = {"offers", "open", "occupied", "reserved", "vacant", "waiting"};

std::vector<Record> waiting_rows(const v1::WaitingListsResponse& response) {
  std::vector<Record> rows;
  for (const auto& row : response.offers())
    rows.push_back(Record()
                       .add("offer_id", row.offer_id())
                       .add("operator", row.operator_code())
                       .add("region", row.region_code())
                       .add("level", level_name(row.level()))
                       .add("groups", groups_text(row.target_groups()))
                       .add("length", row.length())
                       .add("oldest_age_days", row.oldest_request_age_days()));
  return rows;
}

const std::vector<std::string> kWaitingColumns = {"offer_id", "operator", "region",         "level",
                                                  "groups",   "length",   "oldest_age_days"};

std::string position_text(std::uint64_t position) { return "log position " + std::to_string(position); }

int capacity(Session& session, const Args& args) {
  const auto by = group_by_of(args);
  v1::CapacityViewRequest request;
  *request.mutable_date() = parse_date("at", args.get("at"));
  for (auto field : by) request.add_group_by(field);
  request.set_as_of_position(as_of_of(args));
  v1::CapacityViewResponse response;
  auto status = planning(session).GetCapacity(session.context().get(), request, &response);
  if (!status.ok()) return session.failed("capacity", status);
  caption(session, "places on " + date_text(response.date()) + " (" + position_text(response.position()) + ")");
  auto rows = capacity_rows(session.globals().format, response, by);
  name_codes(session, rows);
  session.out().list(rows, with_keys(by, kCapacityColumns));
  return kExitOk;
}

Record occupancy_record(Format format, const v1::OccupancyRow& row) {
  Record record;
  record.add("offers", row.offers())
      .add("open_place_days", row.open_place_days())
      .add("occupied_place_days", row.occupied_place_days())
      .add("reserved_place_days", row.reserved_place_days());
  if (format == Format::table) record.add("occupancy", percent(row.occupancy_bp()));
  else record.add("occupancy_bp", row.occupancy_bp());
  return record;
}

int occupancy(Session& session, const Args& args) {
  const auto by = group_by_of(args);
  const Format format = session.globals().format;
  v1::OccupancyViewRequest request;
  *request.mutable_from() = parse_date("from", args.get("from"));
  *request.mutable_to() = parse_date("to", args.get("to"));
  for (auto field : by) request.add_group_by(field);
  request.set_as_of_position(as_of_of(args));
  v1::OccupancyViewResponse response;
  auto status = planning(session).GetOccupancy(session.context().get(), request, &response);
  if (!status.ok()) return session.failed("occupancy", status);
  // Grouped by operator or region, a period crossing a change of the organisation (a merger) comes
  // back split at its date: then each row says which part it covers.
  const bool split = std::any_of(response.rows().begin(), response.rows().end(), [&](const v1::OccupancyRow& row) {
    return date_text(row.from()) != date_text(response.from()) || date_text(row.to()) != date_text(response.to());
  });
  std::vector<Record> rows;
  for (const auto& row : response.rows()) {
    Record record;
    if (split) record.add("from", date_text(row.from())).add("to", date_text(row.to()));
    add_group_key(record, row.key(), by);
    for (auto& field : occupancy_record(format, row).fields) record.fields.push_back(std::move(field));
    rows.push_back(std::move(record));
  }
  name_codes(session, rows);
  if (!by.empty()) {
    Record total;
    if (split) total.add("from", date_text(response.from())).add("to", date_text(response.to()));
    add_total_key(total, format, by);
    for (auto& field : occupancy_record(format, response.total()).fields) total.fields.push_back(std::move(field));
    rows.push_back(std::move(total));
  }
  caption(session, "place-days from " + date_text(response.from()) + " up to " + date_text(response.to()) + " (" +
                       position_text(response.position()) + ")");
  auto columns = with_keys(by, {"offers", "open_place_days", "occupied_place_days", "reserved_place_days",
                                format == Format::table ? "occupancy" : "occupancy_bp"});
  if (split) columns.insert(columns.begin(), {"from", "to"});
  session.out().list(rows, columns);
  return kExitOk;
}

int waiting(Session& session, const Args& args) {
  v1::WaitingListsRequest request;
  *request.mutable_date() = args.has("at") ? parse_date("at", args.get("at")) : today();
  request.set_as_of_position(as_of_of(args));
  v1::WaitingListsResponse response;
  auto status = planning(session).GetWaitingLists(session.context().get(), request, &response);
  if (!status.ok()) return session.failed("waiting", status);
  caption(session, "waiting lists on " + date_text(response.date()) + " (" + position_text(response.position()) + ")");
  auto rows = waiting_rows(response);
  name_codes(session, rows);
  session.out().list(rows, kWaitingColumns);
  return kExitOk;
}

// --json: every row names its view first. --csv: the capacity table, an empty line, the waiting table.
void add_view(std::vector<Record>& rows, const char* view) {
  for (auto& row : rows) row.fields.insert(row.fields.begin(), {"view", Value(view)});
}

int replay(Session& session, const Args& args) {
  const Format format = session.globals().format;
  const std::uint64_t position = parse_position("to-position", args.get("to-position"));
  const v1::CalendarDate date = parse_date("at", args.get("at"));
  const std::vector<v1::GroupField> by = {v1::GROUP_FIELD_REGION};
  v1::CapacityViewRequest capacity_request;
  *capacity_request.mutable_date() = date;
  capacity_request.add_group_by(v1::GROUP_FIELD_REGION);
  capacity_request.set_as_of_position(position);
  v1::CapacityViewResponse capacity_response;
  auto status = planning(session).GetCapacity(session.context().get(), capacity_request, &capacity_response);
  if (!status.ok()) return session.failed("audit replay", status);
  v1::WaitingListsRequest waiting_request;
  *waiting_request.mutable_date() = date;
  waiting_request.set_as_of_position(position);
  v1::WaitingListsResponse waiting_response;
  status = planning(session).GetWaitingLists(session.context().get(), waiting_request, &waiting_response);
  if (!status.ok()) return session.failed("audit replay", status);

  auto capacity_table = capacity_rows(format, capacity_response, by);
  auto waiting_table = waiting_rows(waiting_response);
  auto capacity_columns = with_keys(by, kCapacityColumns);
  auto waiting_columns = kWaitingColumns;
  if (format == Format::json) {
    add_view(capacity_table, "capacity");
    add_view(waiting_table, "waiting");
  }
  caption(session, "the views as they were at " + position_text(capacity_response.position()) + "\n\nplaces on " +
                       date_text(date) + " by region:");
  session.out().list(capacity_table, capacity_columns);
  if (format != Format::json) session.stdout_stream() << '\n';
  caption(session, "waiting lists on " + date_text(date) + ":");
  session.out().list(waiting_table, waiting_columns);
  return kExitOk;
}

const char* const kPlanner = "planner";
const OptionSpec kBy{"by", "FIELD,...",
                     "group by region, target-group, level, offer and/or operator (e.g. region,level); the last "
                     "row is the total"};
const OptionSpec kAsOf{"as-of", "N", "the view as it was when the log's head was N (default: now)"};

}  // namespace

std::vector<CommandSpec> planning_view_commands() {
  return {
      {"capacity",
       kPlanner,
       "open, occupied, reserved, vacant and waiting places on a date, grouped",
       {},
       {{"at", "YYYY-MM-DD", "the date", true}, kBy, kAsOf},
       {"placectl --as planner capacity --at 2018-10-15 --by region",
        "placectl --as planner capacity --at 2018-10-15 --by region,level --as-of 120 --csv"},
       false,
       capacity},
      {"occupancy",
       kPlanner,
       "place-days and occupancy (belægningsprocent) over [from, to), grouped",
       {},
       {{"from", "YYYY-MM-DD", "the first day", true},
        {"to", "YYYY-MM-DD", "the day after the last", true},
        kBy,
        kAsOf},
       {"placectl --as planner occupancy --from 2018-01-01 --to 2019-01-01 --by region"},
       false,
       occupancy},
      {"waiting",
       kPlanner,
       "waiting lists per offer: length and the age of the oldest request",
       {},
       {{"at", "YYYY-MM-DD", "the date ages are counted to (default: today, UTC)"}, kAsOf},
       {"placectl --as planner waiting --at 2018-10-15"},
       false,
       waiting},
  };
}

std::vector<CommandSpec> replay_commands() {
  return {
      {"audit replay",
       "auditor",
       "the views as they were at a log position: places by region, and waiting lists",
       {},
       {{"to-position", "N", "the log position (at most the head)", true},
        {"at", "YYYY-MM-DD", "the date the views are asked for", true}},
       {"placectl --as auditor audit replay --to-position 40 --at 2018-10-15"},
       false,
       replay},
  };
}

}  // namespace placement::placectl
