// Operator admin commands: offers, their capacity and rates; placing waiting citizens.

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/organisation_support.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"

namespace placement::placectl {
namespace {

int print_command_result(Session& session, const std::string& what, const std::string& offer_id,
                         const grpc::Status& status, const v1::CommandResult& result) {
  if (!status.ok()) return session.failed(what, status);
  Record record;
  record.add("offer_id", offer_id);
  add_command_result(record, result);
  session.out().single(record);
  return kExitOk;
}

Record rate_record(const v1::RateEntry& entry) {
  Record record;
  record.add("from", date_value(entry.effective_from()))
      .add("daily_ore", entry.rate().daily_rate_ore())
      .add("copayment_ore", entry.rate().daily_copayment_rate_ore())
      .add("vacancy_ore", entry.rate().daily_vacancy_rate_ore());
  if (entry.rate().has_basis()) {
    const auto& basis = entry.rate().basis();
    record.add("basis_year", basis.budget_year())
        .add("costs_ore", basis.direct_and_indirect_costs_ore())
        .add("overhead_bp", basis.overhead_bp())
        .add("depreciation_ore", basis.depreciation_and_interest_ore())
        .add("places", basis.places())
        .add("occupancy_bp", basis.assumed_occupancy_bp());
  }
  return record;
}

Record offer_record(const v1::Offer& offer) {
  Value::List capacity;
  for (const auto& entry : offer.capacity())
    capacity.push_back(Record().add("from", date_value(entry.effective_from())).add("places", entry.places()));
  Value::List rates;
  for (const auto& entry : offer.rates()) rates.push_back(rate_record(entry));
  Record record;
  record.add("offer_id", offer.offer_id())
      .add("name", offer.name())
      .add("operator", offer.operator_code())
      .add("region", offer.region_code())
      .add("level", level_name(offer.level()))
      .add("groups", groups_text(offer.target_groups()))
      .add("service_type", service_type_name(offer.service_type()))
      .add("paragraph", offer.paragraph_of_law())
      .add("catchment",
           offer.catchment_region_code() == 0 ? std::string("national") : std::to_string(offer.catchment_region_code()))
      .add("model", model_name(offer.financing().model()))
      .add("objective_share_bp", offer.financing().objective_share_bp())
      .add("closed_from", date_value(offer.closed_from()))
      .add("waiting", offer.waiting())
      .add("capacity", std::move(capacity))
      .add("rates", std::move(rates));
  return record;
}

int register_offer(Session& session, const Args& args) {
  v1::RegisterOfferRequest request;
  request.set_command_id(session.command_id());
  request.set_offer_id(args.get("id"));
  request.set_name(args.get("name"));
  request.set_operator_code(static_cast<std::uint32_t>(parse_int("operator", args.get("operator"), 1, 9999)));
  session.default_operator(args.get("operator"));
  request.set_level(parse_level("level", args.get("level")));
  for (auto group : parse_groups("groups", args.get("groups"))) request.add_target_groups(group);
  request.set_service_type(parse_service_type("service-type", args.get("service-type")));
  request.set_paragraph_of_law(args.get("paragraph"));
  request.set_catchment_region_code(parse_catchment("catchment", args.get("catchment")));
  request.mutable_financing()->set_model(parse_model("model", args.get("model")));
  if (auto share = args.find("objective-share-bp"))
    request.mutable_financing()->set_objective_share_bp(
        static_cast<std::int32_t>(parse_int("objective-share-bp", *share, 0, 10000)));
  v1::CommandResult result;
  auto status = session.offers().RegisterOffer(session.context().get(), request, &result);
  return print_command_result(session, "offers register", request.offer_id(), status, result);
}

int capacity(Session& session, const Args& args) {
  v1::ChangeCapacityRequest request;
  request.set_command_id(session.command_id());
  request.set_offer_id(args.positional(0));
  *request.mutable_effective_from() = parse_date("from", args.get("from"));
  request.set_places(static_cast<std::int32_t>(parse_int("places", args.get("places"), 0, 1000000)));
  v1::CommandResult result;
  auto status = session.offers().ChangeCapacity(session.context().get(), request, &result);
  return print_command_result(session, "offers capacity", request.offer_id(), status, result);
}

int rate(Session& session, const Args& args) {
  constexpr std::int64_t kMaxOre = 1'000'000'000'000'000;
  v1::SetRateRequest request;
  request.set_command_id(session.command_id());
  request.set_offer_id(args.positional(0));
  *request.mutable_effective_from() = parse_date("from", args.get("from"));
  const std::vector<std::string> basis_options = {"basis-year",       "costs-ore", "overhead-bp",
                                                  "depreciation-ore", "places",    "occupancy-bp"};
  bool any_basis = false;
  for (const auto& name : basis_options) any_basis = any_basis || args.has(name);
  if (args.has("daily-ore") == any_basis)
    throw UsageError(
        "offers rate takes either --daily-ore N or the basis (--basis-year --costs-ore --overhead-bp "
        "--depreciation-ore --places --occupancy-bp)");
  if (auto daily = args.find("daily-ore")) {
    request.set_daily_rate_ore(parse_int("daily-ore", *daily, 0, kMaxOre));
  } else {
    auto& basis = *request.mutable_basis();
    basis.set_budget_year(static_cast<std::int32_t>(parse_int("basis-year", args.get("basis-year"), 1, 9999)));
    basis.set_direct_and_indirect_costs_ore(parse_int("costs-ore", args.get("costs-ore"), 0, kMaxOre));
    basis.set_overhead_bp(static_cast<std::int32_t>(parse_int("overhead-bp", args.get("overhead-bp"), 0, 10000)));
    basis.set_depreciation_and_interest_ore(parse_int("depreciation-ore", args.get("depreciation-ore"), 0, kMaxOre));
    basis.set_places(static_cast<std::int32_t>(parse_int("places", args.get("places"), 1, 1000000)));
    basis.set_assumed_occupancy_bp(
        static_cast<std::int32_t>(parse_int("occupancy-bp", args.get("occupancy-bp"), 1, 10000)));
  }
  if (auto copayment = args.find("copayment-ore"))
    request.set_daily_copayment_rate_ore(parse_int("copayment-ore", *copayment, 0, kMaxOre));
  if (auto vacancy = args.find("vacancy-ore"))
    request.set_daily_vacancy_rate_ore(parse_int("vacancy-ore", *vacancy, 0, kMaxOre));
  v1::CommandResult result;
  auto status = session.offers().SetRate(session.context().get(), request, &result);
  return print_command_result(session, "offers rate", request.offer_id(), status, result);
}

int close(Session& session, const Args& args) {
  v1::CloseOfferRequest request;
  request.set_command_id(session.command_id());
  request.set_offer_id(args.positional(0));
  *request.mutable_from() = parse_date("from", args.get("from"));
  v1::CommandResult result;
  auto status = session.offers().CloseOffer(session.context().get(), request, &result);
  return print_command_result(session, "offers close", request.offer_id(), status, result);
}

int list(Session& session, const Args& args) {
  v1::ListOffersRequest request;
  if (auto level = args.find("level")) request.set_level(parse_level("level", *level));
  if (auto group = args.find("group")) request.set_target_group(parse_group("group", *group));
  if (auto region = args.find("region"))
    request.set_region_code(static_cast<std::uint32_t>(parse_int("region", *region, 1, 9999)));
  request.set_include_closed(args.has("include-closed"));
  std::vector<Record> rows;
  do {  // the server answers in pages (docs/API.md, "Limits")
    v1::ListOffersResponse response;
    auto status = session.offers().ListOffers(session.context().get(), request, &response);
    if (!status.ok()) return session.failed("offers list", status);
    for (const auto& offer : response.offers()) rows.push_back(offer_record(offer));
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  name_codes(session, rows);
  session.out().list(rows, {"offer_id", "name", "operator", "region", "level", "groups", "service_type", "catchment",
                            "model", "closed_from", "waiting"});
  return kExitOk;
}

int show(Session& session, const Args& args) {
  v1::GetOfferRequest request;
  request.set_offer_id(args.positional(0));
  v1::Offer offer;
  auto status = session.offers().GetOffer(session.context().get(), request, &offer);
  if (!status.ok()) return session.failed("offers show", status);
  session.out().single(offer_record(offer));
  return kExitOk;
}

int capacity_of(Session& session, const Args& args) {
  v1::GetCapacityRequest request;
  request.set_offer_id(args.positional(0));
  *request.mutable_date() = parse_date("at", args.get("at"));
  v1::PlaceCounts counts;
  auto status = session.offers().GetCapacity(session.context().get(), request, &counts);
  if (!status.ok()) return session.failed("capacity-of", status);
  session.out().single(Record()
                           .add("offer_id", request.offer_id())
                           .add("date", date_value(request.date()))
                           .add("open", counts.open())
                           .add("occupied", counts.occupied())
                           .add("reserved", counts.reserved())
                           .add("vacant", counts.vacant())
                           .add("waiting", counts.waiting()));
  return kExitOk;
}

int allocate(Session& session, const Args& args) {
  v1::AllocatePlaceRequest request;
  request.set_command_id(session.command_id());
  request.set_placement_id(args.positional(0));
  *request.mutable_from() = parse_date("from", args.get("from"));
  request.set_reason(args.find("reason").value_or(""));
  v1::PlacementResponse response;
  auto status = session.placements().AllocatePlace(session.context().get(), request, &response);
  return print_placement_answer(session, "allocate", status, response);
}

int reject(Session& session, const Args& args) {
  v1::RejectPlacementRequest request;
  request.set_command_id(session.command_id());
  request.set_placement_id(args.positional(0));
  request.set_reason(args.get("reason"));
  v1::PlacementResponse response;
  auto status = session.placements().RejectPlacement(session.context().get(), request, &response);
  return print_placement_answer(session, "reject", status, response);
}

const char* const kWho = "operator";

}  // namespace

std::vector<CommandSpec> offer_commands() {
  return {
      {"offers register",
       kWho,
       "register a new offer (tilbud)",
       {},
       {{"id", "ID", "the offer's id, unique", true},
        {"name", "NAME", "its name", true},
        {"operator", "CODE", "the operating region (1081..1085) or municipality code", true},
        {"level", "LEVEL", "LET, MODERAT or HOJT", true},
        {"groups", "N,N", "the target groups it serves, 1..6 separated by commas", true},
        {"service-type", "TYPE", "DOGN, INSTITUTION, DAGTILBUD, RAADGIVNING, SPECIALUNDERVISNING or SIKRET", true},
        {"paragraph", "TEXT", "the paragraph of law, e.g. \"SEL § 108\"", true},
        {"catchment", "CODE|national", "the region it serves, or national", true},
        {"model", "MODEL", "financing: TAKST, BASIS, OBJEKTIV or MIXED", true},
        {"objective-share-bp", "N", "MIXED: the objective share in basis points, 0..10000"}},
       {"placectl --as operator offers register --id sunhill --name \"Botilbud Solbakken\" --operator 1084 --level "
        "MODERAT --groups 1,3 --service-type DOGN --paragraph \"SEL § 108\" --catchment 1084 --model TAKST"},
       true,
       register_offer},
      {"offers capacity",
       kWho,
       "open places from a date until the next change",
       {"ID"},
       {{"from", "YYYY-MM-DD", "the first day", true}, {"places", "N", "the number of open places", true}},
       {"placectl --as operator --operator 1084 offers capacity sunhill --from 2031-01-01 --places 12"},
       true,
       capacity},
      {"offers rate",
       kWho,
       "set the daily rate from a date, directly or from its budget basis",
       {"ID"},
       {{"from", "YYYY-MM-DD", "the first day", true},
        {"daily-ore", "N", "the daily rate per place-day in øre"},
        {"basis-year", "YEAR", "basis: the budget year"},
        {"costs-ore", "N", "basis: direct and indirect costs in øre"},
        {"overhead-bp", "N", "basis: central overhead in basis points"},
        {"depreciation-ore", "N", "basis: depreciation and interest in øre"},
        {"places", "N", "basis: the number of places"},
        {"occupancy-bp", "N", "basis: assumed occupancy in basis points (9000..10000)"},
        {"copayment-ore", "N", "BASIS offers: the municipality's co-payment per occupied place-day"},
        {"vacancy-ore", "N", "OBJEKTIV offers: the rate of a vacant place-day"}},
       {"placectl --as operator --operator 1084 offers rate sunhill --from 2031-01-01 --daily-ore 250000",
        "placectl --as operator --operator 1084 offers rate sunhill --from 2032-01-01 --basis-year 2032 --costs-ore 1000000000 "
        "--overhead-bp 500 --depreciation-ore 50000000 --places 12 --occupancy-bp 9500"},
       true,
       rate},
      {"offers close",
       kWho,
       "close an offer from a date",
       {"ID"},
       {{"from", "YYYY-MM-DD", "the first closed day", true}},
       {"placectl --as operator --operator 1084 offers close sunhill --from 2033-01-01"},
       true,
       close},
      {"offers list",
       kWho,
       "offers, filtered (anyone may read offers)",
       {},
       {{"level", "LEVEL", "only this level"},
        {"group", "N", "only offers serving this target group"},
        {"region", "CODE", "only offers of this region"},
        {"include-closed", "", "include closed offers"}},
       {"placectl --as caseworker --municipality 101 offers list --level MODERAT --group 1",
        "placectl --as planner offers list --csv"},
       false,
       list},
      {"offers show",
       kWho,
       "one offer with its capacity and rate history",
       {"ID"},
       {},
       {"placectl --as planner offers show sunhill"},
       false,
       show},
      {"capacity-of",
       kWho,
       "open, occupied, reserved, vacant and waiting places of one offer on a date",
       {"ID"},
       {{"at", "YYYY-MM-DD", "the date", true}},
       {"placectl --as planner capacity-of sunhill --at 2031-03-01"},
       false,
       capacity_of},
      {"allocate",
       kWho,
       "give a freed place to a waiting citizen",
       {"ID"},
       {{"from", "YYYY-MM-DD", "the first day of the place", true},
        {"reason", "TEXT", "required when the placement is not first on the waiting list"}},
       {"placectl --as operator --operator 1084 allocate p-7 --from 2031-04-01"},
       true,
       allocate},
      {"reject",
       kWho,
       "refuse a requested placement",
       {"ID"},
       {{"reason", "TEXT", "why (kept in the log)", true}},
       {"placectl --as operator --operator 1084 reject p-7 --reason \"needs a HOJT offer\""},
       true,
       reject},
  };
}

}  // namespace placement::placectl
