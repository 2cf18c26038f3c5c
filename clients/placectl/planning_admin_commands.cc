// Admin: the planning inputs (stream "planning"): block grants, refund tiers, the objective key,
// and income recorded against a placement.

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/planning_support.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"

namespace placement::placectl {
namespace {

constexpr std::int64_t kMaxOre = 1'000'000'000'000'000;

int answer(Session& session, const std::string& what, const grpc::Status& status, Record record,
           const v1::CommandResult& result) {
  if (!status.ok()) return session.failed(what, status);
  add_command_result(record, result);
  session.out().single(record);
  return kExitOk;
}

// "LEFT:RIGHT" as two whole numbers.
std::pair<std::int64_t, std::int64_t> pair_of(const std::string& option, const std::string& text,
                                              const std::string& shape, std::int64_t left_max, std::int64_t right_max) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) throw UsageError("--" + option + " takes " + shape);
  return {parse_int(option, text.substr(0, colon), 0, left_max),
          parse_int(option, text.substr(colon + 1), 0, right_max)};
}

std::int32_t year_of(const Args& args) {
  return static_cast<std::int32_t>(parse_int("year", args.get("year"), 1, 9999));
}

int grant(Session& session, const Args& args) {
  v1::SetBlockGrantRequest request;
  request.set_command_id(session.command_id());
  request.set_region_code(static_cast<std::uint32_t>(parse_int("region", args.get("region"), 1, 9999)));
  request.set_year(year_of(args));
  request.set_amount_ore(parse_int("ore", args.get("ore"), 0, kMaxOre));
  v1::CommandResult result;
  auto status = planning(session).SetBlockGrant(session.context().get(), request, &result);
  Record record;
  record.add("region", request.region_code()).add("year", request.year());
  add_money(record, session.globals().format, "amount", request.amount_ore());
  return answer(session, "planning grant", status, std::move(record), result);
}

int tiers(Session& session, const Args& args) {
  v1::SetRefundTiersRequest request;
  request.set_command_id(session.command_id());
  request.set_year(year_of(args));
  std::string text;
  for (const auto& tier : args.all("tier")) {
    auto [threshold, percent_bp] = pair_of("tier", tier, "THRESHOLD_ORE:PERCENT_BP", kMaxOre, 10000);
    auto& added = *request.add_tiers();
    added.set_threshold_per_year_ore(threshold);
    added.set_percent_bp(static_cast<std::int32_t>(percent_bp));
    text += (text.empty() ? "" : " ") + std::to_string(threshold) + ":" + std::to_string(percent_bp);
  }
  if (auto level = args.find("price-level"))
    request.set_price_level(static_cast<std::int32_t>(parse_int("price-level", *level, 1900, 9999)));
  v1::CommandResult result;
  auto status = planning(session).SetRefundTiers(session.context().get(), request, &result);
  Record record;
  record.add("year", request.year())
      .add("price_level", request.price_level() != 0 ? request.price_level() : request.year());
  record.add("tiers", text);
  return answer(session, "planning tiers", status, std::move(record), result);
}

int key(Session& session, const Args& args) {
  v1::SetObjectiveKeyRequest request;
  request.set_command_id(session.command_id());
  std::string text;
  for (const auto& weight : args.all("weight")) {
    auto [municipality, value] = pair_of("weight", weight, "MUNICIPALITY:WEIGHT", 9999, kMaxOre);
    auto& added = *request.add_weights();
    added.set_municipality_code(static_cast<std::uint32_t>(municipality));
    added.set_weight(value);
    text += (text.empty() ? "" : " ") + std::to_string(municipality) + ":" + std::to_string(value);
  }
  v1::CommandResult result;
  auto status = planning(session).SetObjectiveKey(session.context().get(), request, &result);
  Record record;
  record.add("weights", text.empty() ? std::string("default") : text);
  return answer(session, "planning key", status, std::move(record), result);
}

int income(Session& session, const Args& args) {
  v1::RecordIncomeRequest request;
  request.set_command_id(session.command_id());
  request.set_placement_id(args.positional(0));
  const auto month = parse_month("month", args.get("month"));
  request.set_year(month.year());
  request.set_month(month.month());
  request.set_user_payments_ore(parse_int("user-payments-ore", args.get("user-payments-ore"), 0, kMaxOre));
  request.set_other_refunds_ore(parse_int("other-refunds-ore", args.get("other-refunds-ore"), 0, kMaxOre));
  v1::CommandResult result;
  auto status = planning(session).RecordIncome(session.context().get(), request, &result);
  const Format format = session.globals().format;
  Record record;
  record.add("placement_id", request.placement_id()).add("month", month_text(month));
  add_money(record, format, "user_payments", request.user_payments_ore());
  add_money(record, format, "other_refunds", request.other_refunds_ore());
  return answer(session, "planning income", status, std::move(record), result);
}

int case_costs(Session& session, const Args& args) {
  v1::RecordCaseCostsRequest request;
  request.set_command_id(session.command_id());
  request.set_placement_id(args.positional(0));
  const auto month = parse_month("month", args.get("month"));
  request.set_year(month.year());
  request.set_month(month.month());
  request.set_other_costs_ore(parse_int("other-ore", args.find("other-ore").value_or("0"), 0, kMaxOre));
  request.set_one_off_ore(parse_int("one-off-ore", args.find("one-off-ore").value_or("0"), 0, kMaxOre));
  v1::CommandResult result;
  auto status = planning(session).RecordCaseCosts(session.context().get(), request, &result);
  const Format format = session.globals().format;
  Record record;
  record.add("placement_id", request.placement_id()).add("month", month_text(month));
  add_money(record, format, "other_costs", request.other_costs_ore());
  add_money(record, format, "one_off", request.one_off_ore());
  return answer(session, "planning case-costs", status, std::move(record), result);
}

const char* const kWho = "admin (planning inputs)";

}  // namespace

std::vector<CommandSpec> planning_admin_commands() {
  return {
      {"planning grant",
       kWho,
       "a region's block grant (bloktilskud) for a year",
       {},
       {{"region", "CODE", "the region, 1081..1085", true},
        {"year", "YEAR", "the year", true},
        {"ore", "N", "the amount in øre", true}},
       {"placectl --as admin planning grant --region 1084 --year 2018 --ore 5000000000"},
       true,
       grant},
      {"planning tiers",
       "planner or admin (refund thresholds)",
       "the refund tiers of a year (and of later years without their own)",
       {},
       {{"year", "YEAR", "the first year they apply to", true},
        {"tier", "THRESHOLD_ORE:PERCENT_BP", "a yearly threshold in øre and the refund above it in basis points", false,
         true},
        {"price-level", "YEAR", "the year whose price level the thresholds are at (default: --year)", false}},
       {"placectl --as planner planning tiers --year 2022 --price-level 2022 --tier 86000000:2500 "
        "--tier 168000000:5000 --tier 212000000:7500"},
       true,
       tiers},
      {"planning key",
       kWho,
       "the objective key: each municipality's weight (none: restore the default key)",
       {},
       {{"weight", "MUNICIPALITY:WEIGHT", "a municipality code and its weight; others weigh 0", false, true}},
       {"placectl --as admin planning key --weight 101:600000 --weight 147:100000"},
       true,
       key},
      {"planning income",
       kWho,
       "income of a placement in a month (replaces an earlier record)",
       {"PLACEMENT"},
       {{"month", "YYYY-MM", "the month", true},
        {"user-payments-ore", "N", "the citizen's own payments in øre", true},
        {"other-refunds-ore", "N", "other refunds in øre", true}},
       {"placectl --as admin planning income kbh-17 --month 2018-10 --user-payments-ore 250000 "
        "--other-refunds-ore 0"},
       true,
       income},
      {"planning case-costs",
       kWho,
       "other costs of a case and a one-off expense in a month, for the state refund (replaces an earlier record)",
       {"PLACEMENT"},
       {{"month", "YYYY-MM", "the month", true},
        {"other-ore", "N", "other costs of the case in the month, in øre (default 0)", false},
        {"one-off-ore", "N",
         "a one-off expense paid in the month, in øre, counted 1/12 in it and each of the 11 "
         "months after (default 0)",
         false}},
       {"placectl --as admin planning case-costs kbh-17 --month 2023-03 --one-off-ore 1200000"},
       true,
       case_costs},
  };
}

}  // namespace placement::placectl
