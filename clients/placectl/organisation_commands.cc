// The organisation over time (OrganisationService): the regions and municipalities on a date for
// every role, and the admins' effective-dated changes (a region established, ceased or merged, a
// municipality's region, an offer's operator).

#include "clients/placectl/organisation_support.h"

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/planning_support.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"

namespace placement::placectl {

v1::OrganisationService::Stub& organisation(Session& session) {
  // One Session per run, so one stub per run, on the Session's channel and its credentials.
  static std::unique_ptr<v1::OrganisationService::Stub> stub;
  if (!stub) stub = v1::OrganisationService::NewStub(session.channel());
  return *stub;
}

const Names& names(Session& session) {
  static std::optional<Names> loaded;
  if (loaded) return *loaded;
  loaded.emplace();
  v1::GetOrganisationRequest request;
  *request.mutable_date() = today();
  v1::GetOrganisationResponse response;
  // Without the names (an older server, a refusal) the codes stand alone.
  if (!organisation(session).GetOrganisation(session.context().get(), request, &response).ok()) return *loaded;
  for (const auto* regions : {&response.regions(), &response.other_regions()})
    for (const auto& region : *regions) loaded->regions[region.region_code()] = region.name();
  for (const auto& municipality : response.municipalities())
    loaded->municipalities[municipality.municipality_code()] = municipality.name();
  return *loaded;
}

std::string Names::region(std::uint32_t code) const {
  auto it = regions.find(code);
  return it == regions.end() ? std::to_string(code) : std::to_string(code) + " " + it->second;
}

std::string Names::operator_of(std::uint32_t code) const {
  if (auto it = regions.find(code); it != regions.end()) return std::to_string(code) + " " + it->second;
  auto it = municipalities.find(code);
  return it == municipalities.end() ? std::to_string(code) : std::to_string(code) + " " + it->second;
}

void name_codes(Session& session, std::vector<Record>& rows) {
  if (session.globals().format != Format::table) return;
  const Names& known = names(session);
  for (Record& row : rows) {
    for (auto& [column, value] : row.fields) {
      if (value.kind != Value::Kind::unsigned_integer && value.kind != Value::Kind::signed_integer) continue;
      const auto code = static_cast<std::uint32_t>(value.kind == Value::Kind::unsigned_integer ? value.unsigned_integer
                                                                                               : value.signed_integer);
      if (column == "region") value = Value(known.region(code));
      if (column == "operator") value = Value(known.operator_of(code));
    }
  }
}

namespace {

std::string optional_date(bool present, const v1::CalendarDate& date) { return present ? date_text(date) : ""; }

int regions_on(Session& session, const Args& args) {
  v1::GetOrganisationRequest request;
  *request.mutable_date() = args.has("at") ? parse_date("at", args.get("at")) : today();
  request.set_as_of_position(as_of_of(args));
  v1::GetOrganisationResponse response;
  auto status = organisation(session).GetOrganisation(session.context().get(), request, &response);
  if (!status.ok()) return session.failed("regions", status);
  caption(session,
          "regions on " + date_text(response.date()) + " (log position " + std::to_string(response.position()) + ")");
  std::vector<Record> rows;
  for (const auto& region : response.regions()) {
    Record record;
    record.add("region", region.region_code())
        .add("name", region.name())
        .add("municipalities", static_cast<std::int64_t>(region.municipality_codes_size()))
        .add("established_from", optional_date(region.has_established_from(), region.established_from()))
        .add("ceased_from", optional_date(region.has_ceased_from(), region.ceased_from()))
        .add("successor", region.successor_region_code());
    rows.push_back(std::move(record));
  }
  session.out().list(rows, {"region", "name", "municipalities", "established_from", "ceased_from", "successor"});
  return kExitOk;
}

int municipalities_on(Session& session, const Args& args) {
  v1::GetOrganisationRequest request;
  *request.mutable_date() = args.has("at") ? parse_date("at", args.get("at")) : today();
  request.set_as_of_position(as_of_of(args));
  v1::GetOrganisationResponse response;
  auto status = organisation(session).GetOrganisation(session.context().get(), request, &response);
  if (!status.ok()) return session.failed("municipalities", status);
  std::map<std::uint32_t, std::string> region_names;
  for (const auto* regions : {&response.regions(), &response.other_regions()})
    for (const auto& region : *regions) region_names[region.region_code()] = region.name();
  caption(session, "municipalities on " + date_text(response.date()));
  std::vector<Record> rows;
  for (const auto& municipality : response.municipalities()) {
    if (args.has("region") && std::to_string(municipality.region_code()) != args.get("region")) continue;
    rows.push_back(Record()
                       .add("municipality", municipality.municipality_code())
                       .add("name", municipality.name())
                       .add("region", municipality.region_code())
                       .add("region_name", region_names[municipality.region_code()]));
  }
  session.out().list(rows, {"municipality", "name", "region", "region_name"});
  return kExitOk;
}

int answer(Session& session, const std::string& what, const grpc::Status& status, Record record,
           const v1::CommandResult& result) {
  if (!status.ok()) return session.failed(what, status);
  add_command_result(record, result);
  session.out().single(record);
  return kExitOk;
}

std::uint32_t code_of(const Args& args, const std::string& option) {
  return static_cast<std::uint32_t>(parse_int(option, args.get(option), 1, 9999));
}

int establish(Session& session, const Args& args) {
  v1::EstablishRegionRequest request;
  request.set_command_id(session.command_id());
  request.set_region_code(code_of(args, "region"));
  request.set_name(args.get("name"));
  *request.mutable_from() = parse_date("from", args.get("from"));
  v1::CommandResult result;
  auto status = organisation(session).EstablishRegion(session.context().get(), request, &result);
  Record record;
  record.add("region", request.region_code()).add("name", request.name()).add("from", date_text(request.from()));
  return answer(session, "organisation establish-region", status, std::move(record), result);
}

int cease(Session& session, const Args& args) {
  v1::CeaseRegionRequest request;
  request.set_command_id(session.command_id());
  request.set_region_code(code_of(args, "region"));
  *request.mutable_from() = parse_date("from", args.get("from"));
  if (args.has("successor")) request.set_successor_region_code(code_of(args, "successor"));
  v1::CommandResult result;
  auto status = organisation(session).CeaseRegion(session.context().get(), request, &result);
  Record record;
  record.add("region", request.region_code())
      .add("from", date_text(request.from()))
      .add("successor", request.successor_region_code());
  return answer(session, "organisation cease-region", status, std::move(record), result);
}

int move_municipality(Session& session, const Args& args) {
  v1::ChangeMunicipalityRegionRequest request;
  request.set_command_id(session.command_id());
  request.set_municipality_code(static_cast<std::uint32_t>(parse_int("MUNICIPALITY", args.positional(0), 1, 999)));
  request.set_region_code(code_of(args, "region"));
  *request.mutable_from() = parse_date("from", args.get("from"));
  v1::CommandResult result;
  auto status = organisation(session).ChangeMunicipalityRegion(session.context().get(), request, &result);
  Record record;
  record.add("municipality", request.municipality_code())
      .add("region", request.region_code())
      .add("from", date_text(request.from()));
  return answer(session, "organisation move-municipality", status, std::move(record), result);
}

int change_operator(Session& session, const Args& args) {
  v1::ChangeOfferOperatorRequest request;
  request.set_command_id(session.command_id());
  request.set_offer_id(args.positional(0));
  request.set_operator_code(code_of(args, "operator"));
  *request.mutable_from() = parse_date("from", args.get("from"));
  v1::CommandResult result;
  auto status = organisation(session).ChangeOfferOperator(session.context().get(), request, &result);
  Record record;
  record.add("offer_id", request.offer_id())
      .add("operator", request.operator_code())
      .add("from", date_text(request.from()));
  return answer(session, "organisation change-operator", status, std::move(record), result);
}

int merge(Session& session, const Args& args) {
  v1::MergeRegionsRequest request;
  request.set_command_id(session.command_id());
  request.set_region_code(code_of(args, "region"));
  request.set_name(args.get("name"));
  *request.mutable_from() = parse_date("from", args.get("from"));
  std::string merged;
  for (const auto& code : args.all("merged")) {
    request.add_merged_region_codes(static_cast<std::uint32_t>(parse_int("merged", code, 1, 9999)));
    merged += (merged.empty() ? "" : " ") + code;
  }
  v1::CommandResult result;
  auto status = organisation(session).MergeRegions(session.context().get(), request, &result);
  Record record;
  record.add("region", request.region_code())
      .add("name", request.name())
      .add("from", date_text(request.from()))
      .add("merged", merged);
  return answer(session, "organisation merge-regions", status, std::move(record), result);
}

const char* const kEveryone = "everyone";
const char* const kAdmin = "admin (organisation)";
const OptionSpec kAt{"at", "YYYY-MM-DD", "the date (default: today)"};
const OptionSpec kFrom{"from", "YYYY-MM-DD", "the first day it holds", true};
const OptionSpec kAsOf{"as-of", "N", "as it was when the log's head was N (default: now)"};

}  // namespace

std::vector<CommandSpec> organisation_commands() {
  return {
      {"regions",
       kEveryone,
       "the regions existing on a date, with their names and number of municipalities",
       {},
       {kAt, kAsOf},
       {"placectl --as planner regions --at 2026-12-31", "placectl --as planner regions --at 2027-01-01"},
       false,
       regions_on},
      {"municipalities",
       kEveryone,
       "every municipality with its region on a date",
       {},
       {kAt, {"region", "CODE", "only the municipalities of this region"}, kAsOf},
       {"placectl --as planner municipalities --at 2027-01-01 --region 1086"},
       false,
       municipalities_on},
      {"organisation establish-region",
       kAdmin,
       "a new region from a date",
       {},
       {{"region", "CODE", "the region code, 1081..1099", true}, {"name", "NAME", "its name", true}, kFrom},
       {"placectl --as admin organisation establish-region --region 1087 --name Vestdanmark --from 2030-01-01"},
       true,
       establish},
      {"organisation cease-region",
       kAdmin,
       "a region ceases from a date; its offers pass to the successor",
       {},
       {{"region", "CODE", "the region", true}, kFrom, {"successor", "CODE", "the region that takes over its offers"}},
       {"placectl --as admin organisation cease-region --region 1087 --from 2032-01-01 --successor 1082"},
       true,
       cease},
      {"organisation move-municipality",
       kAdmin,
       "a municipality belongs to another region from a date",
       {"MUNICIPALITY"},
       {{"region", "CODE", "the region it belongs to from then", true}, kFrom},
       {"placectl --as admin organisation move-municipality 253 --region 1084 --from 2026-07-01"},
       true,
       move_municipality},
      {"organisation change-operator",
       kAdmin,
       "an offer passes to another operator (driftsherre) from a date, without re-registration",
       {"OFFER"},
       {{"operator", "CODE", "a region or a municipality code", true}, kFrom},
       {"placectl --as admin organisation change-operator kbh-bo --operator 147 --from 2027-03-01"},
       true,
       change_operator},
      {"organisation merge-regions",
       kAdmin,
       "regions merge into a new one from a date (municipalities and offers move with them)",
       {},
       {{"region", "CODE", "the new region's code", true},
        {"name", "NAME", "its name", true},
        kFrom,
        {"merged", "CODE", "a region that merges into it (at least two)", true, true}},
       {"placectl --as admin organisation merge-regions --region 1087 --name Vestdanmark --from 2030-01-01 "
        "--merged 1081 --merged 1082"},
       true,
       merge},
  };
}

}  // namespace placement::placectl
