// Caseworker commands: vacancies and the placements of the caller's municipality.

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/organisation_support.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"

namespace placement::placectl {

Record placement_record(const v1::Placement& placement) {
  Value::List stays;
  for (const auto& stay : placement.previous_stays())
    stays.push_back(Record()
                        .add("offer_id", stay.offer_id())
                        .add("from", date_value(stay.from()))
                        .add("to", date_value(stay.to())));
  Record record;
  record.add("placement_id", placement.placement_id())
      .add("status", status_name(placement.status()))
      .add("offer_id", placement.offer_id())
      .add("municipality", placement.paying_municipality_code())
      .add("level", level_name(placement.level()))
      .add("group", group_number(placement.target_group()))
      .add("age_at_start", placement.age_at_start())
      .add("requested_start", date_value(placement.requested_start()))
      .add("requested_at", timestamp_value(placement.requested_at()))
      .add("waiting_position", placement.waiting_position())
      .add("proposed_from", date_value(placement.proposed_from()))
      .add("hold_from", date_value(placement.hold_from()))
      .add("hold_expires_at", timestamp_value(placement.hold_expires_at()))
      .add("admitted_on", date_value(placement.admitted_on()))
      .add("discharged_on", date_value(placement.discharged_on()))
      .add("previous_stays", std::move(stays))
      .add("allocation_reason", placement.allocation_reason())
      .add("end_reason", placement.end_reason());
  return record;
}

void add_command_result(Record& record, const v1::CommandResult& result) {
  record.add("first_position", result.first_position())
      .add("last_position", result.last_position())
      .add("duplicate", result.duplicate());
}

int print_placement_answer(Session& session, const std::string& what, const grpc::Status& status,
                           const v1::PlacementResponse& response) {
  if (!status.ok()) return session.failed(what, status);
  Record record = placement_record(response.placement());
  add_command_result(record, response.result());
  session.out().single(record);
  return kExitOk;
}

namespace {

int vacancies(Session& session, const Args& args) {
  v1::SearchVacanciesRequest request;
  request.set_target_group(parse_group("group", args.get("group")));
  request.set_level(parse_level("level", args.get("level")));
  request.set_age(static_cast<std::int32_t>(parse_int("age", args.get("age"), 0, 130)));
  if (auto region = args.find("region"))
    request.set_preferred_region_code(static_cast<std::uint32_t>(parse_int("region", *region, 1, 9999)));
  *request.mutable_date() = parse_date("date", args.get("date"));
  v1::SearchVacanciesResponse response;
  auto status = session.placements().SearchVacancies(session.context().get(), request, &response);
  if (!status.ok()) return session.failed("vacancies", status);
  std::vector<Record> rows;
  for (const auto& vacancy : response.vacancies())
    rows.push_back(Record()
                       .add("offer_id", vacancy.offer_id())
                       .add("name", vacancy.name())
                       .add("operator", vacancy.operator_code())
                       .add("region", vacancy.region_code())
                       .add("service_type", service_type_name(vacancy.service_type()))
                       .add("free_places", vacancy.free_places())
                       .add("waiting", vacancy.waiting())
                       .add("in_preferred_region", vacancy.in_preferred_region()));
  name_codes(session, rows);
  session.out().list(rows, {"offer_id", "name", "operator", "region", "service_type", "free_places", "waiting",
                            "in_preferred_region"});
  return kExitOk;
}

int request(Session& session, const Args& args) {
  v1::RequestPlacementRequest request;
  request.set_command_id(session.command_id());
  if (auto id = args.find("placement-id")) request.set_placement_id(*id);
  const std::string& cpr = args.get("cpr");
  session.keep_secret(cpr);
  request.set_cpr(cpr);
  const auto municipality = parse_int("municipality", args.get("municipality"), 1, 999);
  request.set_paying_municipality_code(static_cast<std::uint32_t>(municipality));
  session.default_municipality(std::to_string(municipality));
  request.set_offer_id(args.get("offer"));
  request.set_level(parse_level("level", args.get("level")));
  request.set_target_group(parse_group("group", args.get("group")));
  *request.mutable_requested_start() = parse_date("start", args.get("start"));
  request.set_join_waiting_list_if_full(args.has("wait"));
  if (auto household = args.find("household")) {
    session.keep_secret(*household);
    request.set_household_reference(*household);
  }
  v1::PlacementResponse response;
  auto status = session.placements().RequestPlacement(session.context().get(), request, &response);
  return print_placement_answer(session, "request", status, response);
}

int reserve(Session& session, const Args& args) {
  v1::ReservePlaceRequest request;
  request.set_command_id(session.command_id());
  request.set_placement_id(args.positional(0));
  *request.mutable_from() = parse_date("from", args.get("from"));
  request.set_join_waiting_list_if_full(args.has("wait"));
  v1::PlacementResponse response;
  auto status = session.placements().ReservePlace(session.context().get(), request, &response);
  return print_placement_answer(session, "reserve", status, response);
}

int admit(Session& session, const Args& args) {
  v1::AdmitPlacementRequest request;
  request.set_command_id(session.command_id());
  request.set_placement_id(args.positional(0));
  *request.mutable_on() = parse_date("on", args.get("on"));
  v1::PlacementResponse response;
  auto status = session.placements().AdmitPlacement(session.context().get(), request, &response);
  return print_placement_answer(session, "admit", status, response);
}

int transfer(Session& session, const Args& args) {
  v1::TransferPlacementRequest request;
  request.set_command_id(session.command_id());
  request.set_placement_id(args.positional(0));
  request.set_to_offer_id(args.get("to"));
  *request.mutable_on() = parse_date("on", args.get("on"));
  v1::PlacementResponse response;
  auto status = session.placements().TransferPlacement(session.context().get(), request, &response);
  return print_placement_answer(session, "transfer", status, response);
}

int discharge(Session& session, const Args& args) {
  v1::DischargePlacementRequest request;
  request.set_command_id(session.command_id());
  request.set_placement_id(args.positional(0));
  *request.mutable_on() = parse_date("on", args.get("on"));
  v1::PlacementResponse response;
  auto status = session.placements().DischargePlacement(session.context().get(), request, &response);
  return print_placement_answer(session, "discharge", status, response);
}

int withdraw(Session& session, const Args& args) {
  v1::WithdrawPlacementRequest request;
  request.set_command_id(session.command_id());
  request.set_placement_id(args.positional(0));
  request.set_reason(args.find("reason").value_or(""));
  v1::PlacementResponse response;
  auto status = session.placements().WithdrawPlacement(session.context().get(), request, &response);
  return print_placement_answer(session, "withdraw", status, response);
}

int placements(Session& session, const Args& args) {
  v1::ListPlacementsRequest request;
  if (auto cpr = args.find("cpr")) {
    session.keep_secret(*cpr);
    request.set_cpr(*cpr);
  }
  if (auto offer = args.find("offer")) request.set_offer_id(*offer);
  if (auto status = args.find("status")) request.set_status(parse_status("status", *status));
  if (auto code = args.find("paying-municipality"))
    request.set_paying_municipality_code(static_cast<std::uint32_t>(parse_int("paying-municipality", *code, 1, 999)));
  std::vector<Record> rows;
  do {  // the server answers in pages (docs/API.md, "Limits")
    v1::ListPlacementsResponse response;
    auto status = session.placements().ListPlacements(session.context().get(), request, &response);
    if (!status.ok()) return session.failed("placements", status);
    for (const auto& placement : response.placements()) rows.push_back(placement_record(placement));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  session.out().list(rows, {"placement_id", "status", "offer_id", "municipality", "level", "group", "age_at_start",
                            "requested_start", "waiting_position", "admitted_on", "discharged_on"});
  return kExitOk;
}

int placement(Session& session, const Args& args) {
  v1::GetPlacementRequest request;
  request.set_placement_id(args.positional(0));
  v1::Placement response;
  auto status = session.placements().GetPlacement(session.context().get(), request, &response);
  if (!status.ok()) return session.failed("placement", status);
  session.out().single(placement_record(response));
  return kExitOk;
}

const char* const kWho = "caseworker";
const char* const kAsCaseworker = "placectl --as caseworker --municipality 101";

std::string example(const std::string& rest) { return std::string(kAsCaseworker) + " " + rest; }

}  // namespace

std::vector<CommandSpec> placement_commands() {
  return {
      {"vacancies",
       kWho,
       "offers with a free place for a need, on a date",
       {},
       {{"group", "N", "target group (målgruppe) 1..6", true},
        {"level", "LEVEL", "specialisation level: LET, MODERAT or HOJT", true},
        {"age", "N", "the citizen's age at the wanted start", true},
        {"region", "CODE", "rank offers of this region (1081..1085) first"},
        {"date", "YYYY-MM-DD", "the wanted start", true}},
       {example("vacancies --group 1 --level MODERAT --age 34 --region 1084 --date 2031-02-01")},
       false,
       vacancies},
      {"request",
       kWho,
       "request a place for a citizen (the CPR number is sent, never printed)",
       {},
       {{"cpr", "CPR", "the citizen's CPR number, DDMMYY-SSSS or DDMMYYSSSS", true},
        {"municipality", "CODE",
         "the paying municipality (also your own when --municipality was not given before the command)", true},
        {"offer", "ID", "the offer", true},
        {"level", "LEVEL", "the needed level: LET, MODERAT or HOJT", true},
        {"group", "N", "the citizen's target group 1..6", true},
        {"start", "YYYY-MM-DD", "the wanted start", true},
        {"wait", "", "join the offer's waiting list when it is full instead of being refused"},
        {"household", "REF", "for children: a household reference (e.g. a parent's CPR number), never printed"},
        {"placement-id", "ID", "choose the placement id (default: the server derives one)"}},
       {"placectl --as caseworker request --cpr 010190-1234 --municipality 101 --offer sunhill --level MODERAT "
        "--group 1 --start 2031-02-01 --wait"},
       true,
       request},
      {"reserve",
       kWho,
       "hold a place for a requested placement from a date",
       {"ID"},
       {{"from", "YYYY-MM-DD", "the first day of the hold", true},
        {"wait", "", "join the waiting list when no place is free"}},
       {example("reserve p-1 --from 2031-02-01")},
       true,
       reserve},
      {"admit",
       kWho,
       "the citizen moves in",
       {"ID"},
       {{"on", "YYYY-MM-DD", "the day of admission", true}},
       {example("admit p-1 --on 2031-02-01")},
       true,
       admit},
      {"transfer",
       kWho,
       "move an admitted citizen to another offer",
       {"ID"},
       {{"to", "OFFER", "the offer to move to", true}, {"on", "YYYY-MM-DD", "the first day at the new offer", true}},
       {example("transfer p-1 --to seaside --on 2031-06-01")},
       true,
       transfer},
      {"discharge",
       kWho,
       "the citizen moves out",
       {"ID"},
       {{"on", "YYYY-MM-DD", "the first day not occupied (admitted A, discharged D occupies A … D-1)", true}},
       {example("discharge p-1 --on 2031-12-01")},
       true,
       discharge},
      {"withdraw",
       kWho,
       "withdraw a request, reservation or waiting-list place",
       {"ID"},
       {{"reason", "TEXT", "why (kept in the log)"}},
       {example("withdraw p-1 --reason \"family declined\"")},
       true,
       withdraw},
      {"placements",
       kWho,
       "your municipality's placements, filtered",
       {},
       {{"cpr", "CPR", "one citizen's placements (sent pseudonymised, never printed)"},
        {"offer", "ID", "only at this offer"},
        {"status", "STATUS",
         "REQUESTED, WAITLISTED, RESERVED, ADMITTED, DISCHARGED, REJECTED, WITHDRAWN, RESERVATION_EXPIRED"},
        {"paying-municipality", "CODE", "admins: another municipality's placements"}},
       {example("placements --status ADMITTED"), example("placements --offer sunhill --csv")},
       false,
       placements},
      {"placement",
       kWho,
       "one placement with its history",
       {"ID"},
       {},
       {example("placement p-1 --json")},
       false,
       placement},
  };
}

}  // namespace placement::placectl
