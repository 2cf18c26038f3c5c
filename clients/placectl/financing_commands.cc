// Planner money views: financing over a period (and what-if with other terms for one offer, which
// writes nothing) and the monthly settlement. Tables show kroner; --json and --csv integer øre.

#include <algorithm>

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/organisation_support.h"
#include "clients/placectl/planning_support.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"

namespace placement::placectl {
namespace {

constexpr std::int64_t kMaxOre = 1'000'000'000'000'000;

std::vector<std::string> money_columns(Format format, std::vector<std::string> plain,
                                       const std::vector<std::string>& money) {
  for (const auto& name : money) plain.push_back(money_column(format, name));
  return plain;
}

void print_municipalities(Session& session, const v1::FinancingResponse& response) {
  const Format format = session.globals().format;
  const std::vector<std::string> money = {"usage_payments",        "copayments", "objective_share",
                                          "mixed_objective_share", "refund",     "net"};
  std::vector<Record> rows;
  for (const auto& m : response.municipalities()) {
    Record record;
    record.add("municipality", m.municipality_code()).add("occupied_place_days", m.occupied_place_days());
    const std::int64_t amounts[] = {m.usage_payments_ore(),        m.copayments_ore(), m.objective_share_ore(),
                                    m.mixed_objective_share_ore(), m.refund_ore(),     m.net_ore()};
    for (std::size_t i = 0; i < money.size(); ++i) add_money(record, format, money[i], amounts[i]);
    rows.push_back(std::move(record));
  }
  session.out().list(rows, money_columns(format, {"municipality", "occupied_place_days"}, money));
}

void print_regions(Session& session, const v1::FinancingResponse& response) {
  const Format format = session.globals().format;
  std::vector<Record> rows;
  for (const auto& r : response.regions()) {
    Record record;
    record.add("region", r.region_code()).add("year", r.year());
    add_money(record, format, "block_grant", r.block_grant_ore());
    add_money(record, format, "used", r.used_ore());
    add_money(record, format, "left", r.left_ore());
    rows.push_back(std::move(record));
  }
  name_codes(session, rows);
  session.out().list(rows, money_columns(format, {"region", "year"}, {"block_grant", "used", "left"}));
}

void print_offers(Session& session, const v1::FinancingResponse& response) {
  const Format format = session.globals().format;
  const std::vector<std::string> money = {"total_cost",     "usage_paid",  "copayments",      "vacancy_cost",
                                          "objective_part", "region_cost", "operator_vacancy"};
  // An offer whose operator, region or catchment changes inside the period (a merger) has one row
  // per part: then each row says which part it covers.
  const bool split = std::any_of(response.offers().begin(), response.offers().end(), [&](const v1::OfferFinancing& o) {
    return date_text(o.from()) != date_text(response.from()) || date_text(o.to()) != date_text(response.to());
  });
  std::vector<Record> rows;
  for (const auto& o : response.offers()) {
    Record record;
    record.add("offer_id", o.offer_id());
    if (split) record.add("from", date_text(o.from())).add("to", date_text(o.to()));
    record.add("operator", o.operator_code())
        .add("region", o.region_code())
        .add("model", model_name(o.financing().model()))
        .add("open_place_days", o.open_place_days())
        .add("occupied_place_days", o.occupied_place_days())
        .add("unpriced_place_days", o.unpriced_place_days());
    const std::int64_t amounts[] = {o.total_cost_ore(),      o.usage_paid_ore(),     o.copayments_ore(),
                                    o.vacancy_cost_ore(),    o.objective_part_ore(), o.region_cost_ore(),
                                    o.operator_vacancy_ore()};
    for (std::size_t i = 0; i < money.size(); ++i) add_money(record, format, money[i], amounts[i]);
    rows.push_back(std::move(record));
  }
  name_codes(session, rows);
  std::vector<std::string> columns = {
      "offer_id", "operator", "region", "model", "open_place_days", "occupied_place_days", "unpriced_place_days"};
  if (split) columns.insert(columns.begin() + 1, {"from", "to"});
  session.out().list(rows, money_columns(format, columns, money));
}

// Per calendar year of the period: whose refund thresholds it was computed with.
void print_refund_amounts(Session& session, const v1::FinancingResponse& response) {
  std::vector<Record> rows;
  for (const auto& a : response.refund_amounts()) {
    Record record;
    record.add("year", a.year())
        .add("amounts_of_year", a.amounts_of_year())
        .add("price_level", a.price_level())
        .add("latest_known", a.latest_known());
    rows.push_back(std::move(record));
  }
  session.out().list(rows, {"year", "amounts_of_year", "price_level", "latest_known"});
}

void print_totals(Session& session, const v1::FinancingResponse& response) {
  const Format format = session.globals().format;
  const auto& t = response.totals();
  Record record;
  record.add("from", date_value(response.from())).add("to", date_value(response.to()));
  add_money(record, format, "total_cost", t.total_cost_ore());
  add_money(record, format, "usage_paid", t.usage_paid_ore());
  add_money(record, format, "copayments", t.copayments_ore());
  add_money(record, format, "vacancy_cost", t.vacancy_cost_ore());
  add_money(record, format, "objective_part", t.objective_part_ore());
  add_money(record, format, "region_cost", t.region_cost_ore());
  add_money(record, format, "operator_vacancy", t.operator_vacancy_ore());
  add_money(record, format, "refund", t.refund_ore());
  add_money(record, format, "municipalities_net", t.municipalities_net_ore());
  record.add("position", response.position());
  session.out().single(record);
}

// The marker beside a refund computed with thresholds other than the year's own, e.g.
// "refund 2023: thresholds of 2022 (2022 level), the latest known: 2023's are not loaded".
void refund_amounts_caption(Session& session, const v1::FinancingResponse& response) {
  for (const auto& a : response.refund_amounts()) {
    const std::string year = std::to_string(a.year());
    if (a.amounts_of_year() == 0) {
      caption(session, "refund " + year + ": no thresholds known for the year, no refund");
    } else if (a.amounts_of_year() != a.year()) {
      caption(session, "refund " + year + ": thresholds of " + std::to_string(a.amounts_of_year()) + " (" +
                           std::to_string(a.price_level()) + " level)" +
                           (a.latest_known() ? ", the latest known: " + year + "'s are not loaded" : ""));
    }
  }
}

// Calls GetFinancing and prints the part --by names (default: municipality).
int financing_call(Session& session, const Args& args, const std::string& what, v1::FinancingRequest& request) {
  const std::string by = args.find("by").value_or("municipality");
  if (by != "municipality" && by != "region" && by != "offer" && by != "total" && by != "refund-amounts")
    throw UsageError("--by takes municipality, region, offer, total or refund-amounts");
  *request.mutable_from() = parse_date("from", args.get("from"));
  *request.mutable_to() = parse_date("to", args.get("to"));
  request.set_as_of_position(as_of_of(args));
  v1::FinancingResponse response;
  auto status = planning(session).GetFinancing(session.context().get(), request, &response);
  if (!status.ok()) return session.failed(what, status);
  caption(session, (request.overrides_size() > 0 ? "what-if (nothing was written): " : "") + std::string("financing ") +
                       "from " + date_text(response.from()) + " up to " + date_text(response.to()) + " by " + by +
                       " (log position " + std::to_string(response.position()) + ")");
  refund_amounts_caption(session, response);
  if (by == "municipality") print_municipalities(session, response);
  else if (by == "region") print_regions(session, response);
  else if (by == "offer") print_offers(session, response);
  else if (by == "refund-amounts") print_refund_amounts(session, response);
  else print_totals(session, response);
  return kExitOk;
}

int financing(Session& session, const Args& args) {
  v1::FinancingRequest request;
  return financing_call(session, args, "financing", request);
}

int what_if(Session& session, const Args& args) {
  v1::FinancingRequest request;
  auto& override_terms = *request.add_overrides();
  override_terms.set_offer_id(args.get("offer"));
  if (!args.has("model") && !args.has("daily-ore"))
    throw UsageError("what-if needs other terms: --model M and/or --daily-ore N");
  if (auto model = args.find("model")) {
    override_terms.mutable_financing()->set_model(parse_model("model", *model));
    if (auto share = args.find("objective-share-bp"))
      override_terms.mutable_financing()->set_objective_share_bp(
          static_cast<std::int32_t>(parse_int("objective-share-bp", *share, 0, 10000)));
  } else if (args.has("objective-share-bp")) {
    throw UsageError("--objective-share-bp goes with --model MIXED");
  }
  if (auto daily = args.find("daily-ore")) {
    auto& rate = *override_terms.mutable_rate();
    rate.set_daily_rate_ore(parse_int("daily-ore", *daily, 0, kMaxOre));
    if (auto copayment = args.find("copayment-ore"))
      rate.set_daily_copayment_rate_ore(parse_int("copayment-ore", *copayment, 0, kMaxOre));
    if (auto vacancy = args.find("vacancy-ore"))
      rate.set_daily_vacancy_rate_ore(parse_int("vacancy-ore", *vacancy, 0, kMaxOre));
  } else if (args.has("copayment-ore") || args.has("vacancy-ore")) {
    throw UsageError("--copayment-ore and --vacancy-ore go with --daily-ore");
  }
  return financing_call(session, args, "what-if", request);
}

int settlement(Session& session, const Args& args) {
  const Format format = session.globals().format;
  v1::SettlementRequest request;
  *request.mutable_month() = parse_month("month", args.get("month"));
  *request.mutable_as_of() = args.has("as-of-date") ? parse_date("as-of-date", args.get("as-of-date")) : today();
  if (auto code = args.find("municipality"))
    request.set_paying_municipality_code(static_cast<std::uint32_t>(parse_int("municipality", *code, 1, 9999)));
  request.set_as_of_position(as_of_of(args));
  v1::SettlementResponse response;
  auto status = planning(session).GetSettlement(session.context().get(), request, &response);
  if (!status.ok()) return session.failed("settlement", status);
  std::vector<Record> rows;
  // A planner's answer has no lines: one row per paying municipality and operator.
  const bool aggregates =
      !response.statements().empty() && std::all_of(response.statements().begin(), response.statements().end(),
                                                    [](const v1::SettlementStatement& s) { return s.lines().empty(); });
  if (aggregates) {
    for (const auto& statement : response.statements()) {
      Record record;
      record.add("paying_municipality", statement.paying_municipality_code())
          .add("operator", statement.operator_code())
          .add("placements", statement.placements())
          .add("place_days", statement.place_days());
      if (statement.total_withheld()) record.add(money_column(format, "amount"), Value());
      else add_money(record, format, "amount", statement.total_ore());
      record.add("total_withheld", statement.total_withheld());
      record.add("place_days_beyond_billing_limit", statement.place_days_beyond_billing_limit());
      rows.push_back(std::move(record));
    }
    caption(session, "settlement of " + month_text(response.month()) + " per paying municipality and operator " +
                         "(totals of fewer than 3 placements withheld; log position " +
                         std::to_string(response.position()) + ")");
    name_codes(session, rows);
    session.out().list(rows, {"paying_municipality", "operator", "placements", "place_days",
                              money_column(format, "amount"), "total_withheld", "place_days_beyond_billing_limit"});
    return kExitOk;
  }
  for (const auto& statement : response.statements()) {
    for (const auto& line : statement.lines()) {
      Value::List rates;
      for (const auto& part : line.rates()) {
        Record rate;
        rate.add("from", date_value(part.from())).add("to", date_value(part.to()));
        add_money(rate, format, "daily", part.daily_amount_ore());
        add_money(rate, format, "amount", part.amount_ore());
        rates.push_back(std::move(rate));
      }
      Record record;
      record.add("paying_municipality", statement.paying_municipality_code())
          .add("operator", statement.operator_code())
          .add("placement_id", line.placement_id())
          .add("offer_id", line.offer_id())
          .add("from", date_value(line.from()))
          .add("to", date_value(line.to()))
          .add("place_days", line.place_days())
          .add("unpriced_place_days", line.unpriced_place_days())
          .add("rates", std::move(rates));
      add_money(record, format, "amount", line.amount_ore());
      record.add("beyond_billing_limit", line.beyond_billing_limit());
      record.add("place_days_beyond_billing_limit", line.place_days_beyond_billing_limit());
      rows.push_back(std::move(record));
    }
    if (format == Format::table) {  // a statement's total under its lines
      Record total;
      total.add("paying_municipality", statement.paying_municipality_code())
          .add("operator", statement.operator_code())
          .add("placement_id", "total");
      add_money(total, format, "amount", statement.total_ore());
      rows.push_back(std::move(total));
    }
  }
  name_codes(session, rows);
  caption(session, "settlement of " + month_text(response.month()) + ", billing limit counted from " +
                       date_text(response.as_of()) + " (log position " + std::to_string(response.position()) + ")");
  std::vector<std::string> columns = {
      "paying_municipality", "operator", "placement_id", "offer_id", "from", "to", "place_days", "unpriced_place_days"};
  if (format != Format::table) columns.push_back("rates");
  columns.push_back(money_column(format, "amount"));
  columns.push_back("beyond_billing_limit");
  columns.push_back("place_days_beyond_billing_limit");
  session.out().list(rows, columns);
  return kExitOk;
}

const char* const kPlanner = "planner";
const OptionSpec kAsOf{"as-of", "N", "the view as it was when the log's head was N (default: now)"};

}  // namespace

std::vector<CommandSpec> financing_commands() {
  return {
      {"financing",
       kPlanner,
       "who pays what over [from, to): per municipality, region, offer, or the totals",
       {},
       {{"from", "YYYY-MM-DD", "the first day", true},
        {"to", "YYYY-MM-DD", "the day after the last", true},
        {"by", "WHAT",
         "municipality (default), region (block grants), offer, total, or refund-amounts (whose refund thresholds each year used)"},
        kAsOf},
       {"placectl --as planner financing --from 2018-01-01 --to 2019-01-01 --by region",
        "placectl --as planner financing --from 2018-01-01 --to 2019-01-01 --by offer --json"},
       false,
       financing},
      {"what-if",
       kPlanner,
       "financing with other terms for one offer; writes nothing",
       {},
       {{"from", "YYYY-MM-DD", "the first day", true},
        {"to", "YYYY-MM-DD", "the day after the last", true},
        {"offer", "ID", "the offer given other terms", true},
        {"model", "MODEL", "another financing model: TAKST, BASIS, OBJEKTIV or MIXED"},
        {"objective-share-bp", "N", "with --model MIXED: the objective share in basis points"},
        {"daily-ore", "N", "one flat daily rate in øre for the whole period"},
        {"copayment-ore", "N", "with --daily-ore: the daily co-payment (BASIS)"},
        {"vacancy-ore", "N", "with --daily-ore: the daily vacancy rate (OBJEKTIV; 0 = the daily rate)"},
        {"by", "WHAT", "municipality (default), region, offer, total, or refund-amounts"},
        kAsOf},
       {"placectl --as planner what-if --from 2018-01-01 --to 2019-01-01 --offer demo-sp-sjaelland --model "
        "TAKST --by municipality",
        "placectl --as planner what-if --from 2018-01-01 --to 2019-01-01 --offer demo-solbakken --daily-ore 300000 "
        "--by total"},
       false,
       what_if},
      {"settlement",
       kPlanner,
       "what each paying municipality owes each operator for one month, line by line",
       {},
       {{"month", "YYYY-MM", "the month", true},
        {"as-of-date", "YYYY-MM-DD", "the date the 12-month billing limit is counted back from (default: today)"},
        {"municipality", "CODE", "only this paying municipality's statements"},
        kAsOf},
       {"placectl --as planner settlement --month 2018-10 --as-of-date 2018-11-15 --municipality 101"},
       false,
       settlement},
  };
}

}  // namespace placement::placectl
