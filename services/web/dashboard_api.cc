#include "services/web/dashboard_api.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <cctype>
#include <cstdio>
#include <future>
#include <tuple>
#include <vector>

#include "services/api/planning_queries.h"
#include "services/domain/dates.h"
#include "services/domain/organisation.h"
#include "services/domain/state.h"
#include "services/web/dashboard_access.h"

namespace placement::web {
namespace {

constexpr std::string_view kBearer = "bearer ";

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xf]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out += '"';
  return out;
}

// A view as JSON: field names as in the .proto, enums as their numbers, zeros printed.
Result<std::string> to_json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.always_print_enums_as_ints = true;
  options.preserve_proto_field_names = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok())
    return fail(Errc::internal, "a view could not be written as JSON");
  return out;
}

std::string error_body(std::string_view message) { return "{\"error\":" + json_string(message) + "}"; }

// The first day of the month after `date`'s.
v1::CalendarDate next_month(const v1::CalendarDate& date) {
  v1::CalendarDate next;
  next.set_year(date.month() == 12 ? date.year() + 1 : date.year());
  next.set_month(date.month() == 12 ? 1 : date.month() + 1);
  next.set_day(1);
  return next;
}

bool before(const v1::CalendarDate& a, const v1::CalendarDate& b) {
  return std::make_tuple(a.year(), a.month(), a.day()) < std::make_tuple(b.year(), b.month(), b.day());
}

std::string iso_date(const v1::CalendarDate& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", date.year(), date.month(), date.day());
  return text;
}

// The names behind the codes and ids of the model: regions (and whether each exists on `on`),
// municipalities and offers with their region and operator on `on`.
std::string names_json(const domain::State& state, domain::Date on) {
  std::string out = "\"regions\":[";
  bool first = true;
  for (const auto& [code, region] : state.regions) {
    out += std::string(first ? "" : ",") + "{\"code\":" + std::to_string(code) +
           ",\"name\":" + json_string(region.name) +
           ",\"exists\":" + (domain::exists_on(region, on) ? "true" : "false") + "}";
    first = false;
  }
  out += "],\"municipalities\":[";
  first = true;
  for (const auto& [code, municipality] : state.municipalities) {
    out += std::string(first ? "" : ",") + "{\"code\":" + std::to_string(code) +
           ",\"name\":" + json_string(municipality.name) +
           ",\"region_code\":" + std::to_string(domain::region_of_municipality_on(municipality, on)) + "}";
    first = false;
  }
  out += "],\"offers\":[";
  first = true;
  for (const auto& [id, offer] : state.offers) {
    const domain::Rate* rate = domain::rate_on(offer, on);
    if (rate == nullptr && !offer.rates.empty()) rate = &offer.rates.entries().rbegin()->second;
    const int assumed = rate != nullptr && rate->basis ? rate->basis->assumed_occupancy_bp : 0;
    out += std::string(first ? "" : ",") + "{\"offer_id\":" + json_string(id) + ",\"name\":" + json_string(offer.name) +
           ",\"operator_code\":" + std::to_string(domain::operator_on(offer, on)) +
           ",\"region_code\":" + std::to_string(domain::region_of_offer_on(state, offer, on)) +
           ",\"level\":" + std::to_string(static_cast<int>(offer.level)) + ",\"target_groups\":[";
    for (std::size_t i = 0; i < offer.target_groups.size(); ++i)
      out += (i ? "," : "") + std::to_string(static_cast<int>(offer.target_groups[i]));
    out += "],\"financing_model\":" + std::to_string(static_cast<int>(offer.financing.model)) +
           ",\"assumed_occupancy_bp\":" + std::to_string(assumed) + "}";
    first = false;
  }
  out += "]";
  return out;
}

}  // namespace

int http_status(Errc code) {
  switch (code) {
    case Errc::invalid_argument: return 400;
    case Errc::not_found: return 404;
    case Errc::unauthenticated: return 401;
    case Errc::permission_denied: return 403;
    case Errc::failed_precondition: return 409;
    case Errc::unavailable: return 503;
    default: return 500;
  }
}

Result<v1::Actor> DashboardApi::caller(std::string_view authorization) const {
  if (authorization.size() <= kBearer.size())
    return fail(Errc::unauthenticated, "no bearer token: send Authorization: Bearer <token>");
  for (std::size_t i = 0; i < kBearer.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kBearer[i])
      return fail(Errc::unauthenticated, "the Authorization header must be \"Bearer <token>\"");
  PLACEMENT_TRY(actor, authenticator_.caller_of_token(authorization.substr(kBearer.size())));
  PLACEMENT_TRY(authorize_dashboard(actor, api::Rpc::planning_capacity));
  return actor;
}

Reply DashboardApi::handle(std::string_view target, std::string_view authorization) const {
  auto who = caller(authorization);
  if (!who) return {http_status(who.error().code), "application/json; charset=utf-8", error_body(who.error().message)};
  auto parsed = parse_target(target);
  if (!parsed) return {400, "application/json; charset=utf-8", error_body(parsed.error().message)};
  auto body = answer(parsed.value().path, parsed.value(), who.value());
  if (!body)
    return {http_status(body.error().code), "application/json; charset=utf-8", error_body(body.error().message)};
  return {200, "application/json; charset=utf-8", std::move(body).value()};
}

std::string DashboardApi::stamp(std::uint64_t position) const {
  std::string recorded_at;
  if (position > 0) {
    auto events = log_.read_forward(Position{position}, 1);
    if (events && !events.value().empty())
      recorded_at = google::protobuf::util::TimeUtil::ToString(events.value().front().envelope.recorded_at());
  }
  return "{\"position\":" + std::to_string(position) + ",\"recorded_at\":" + json_string(recorded_at) + "}";
}

std::string DashboardApi::live_line(Position head) const { return stamp(head.value) + "\n"; }

Result<std::string> DashboardApi::answer(const std::string& path, const Target& target, const v1::Actor& who) const {
  if (path == "/api/head") {
    return "{\"stamp\":" + stamp(log_.head().position.value) + ",\"subject\":" + json_string(who.subject()) +
           ",\"role\":" + std::to_string(static_cast<int>(who.role())) + "}";
  }
  PLACEMENT_TRY(as_of, unsigned_param(target, "as_of"));
  const auto model_at = [&]() { return views_.at(as_of); };

  if (path == "/api/names") {
    PLACEMENT_TRY(m, model_at());
    domain::Date on = domain::Date::max();
    if (!target.get("date").empty()) {
      PLACEMENT_TRY(date, domain::parse_date(target.get("date")));
      on = date;
    }
    return "{\"stamp\":" + stamp(m->model.position.value) + "," + names_json(m->model.state, on) + "}";
  }
  if (path == "/api/capacity") {
    PLACEMENT_TRY(authorize_dashboard(who, api::Rpc::planning_capacity));
    v1::CapacityViewRequest request;
    PLACEMENT_TRY_ASSIGN(*request.mutable_date(), date_param(target, "date"));
    PLACEMENT_TRY_ASSIGN(*request.mutable_group_by(), group_by_param(target, "by"));
    PLACEMENT_TRY(m, model_at());
    PLACEMENT_TRY(view, api::capacity_view(*m, request));
    PLACEMENT_TRY(json, to_json(view));
    return "{\"stamp\":" + stamp(view.position()) + ",\"view\":" + json + "}";
  }
  if (path == "/api/occupancy" || path == "/api/occupancy-series") {
    PLACEMENT_TRY(authorize_dashboard(who, api::Rpc::planning_occupancy));
    v1::OccupancyViewRequest request;
    PLACEMENT_TRY_ASSIGN(*request.mutable_from(), date_param(target, "from"));
    PLACEMENT_TRY_ASSIGN(*request.mutable_to(), date_param(target, "to"));
    PLACEMENT_TRY_ASSIGN(*request.mutable_group_by(), group_by_param(target, "by"));
    PLACEMENT_TRY(m, model_at());
    if (path == "/api/occupancy") {
      PLACEMENT_TRY(view, api::occupancy_view(*m, request));
      PLACEMENT_TRY(json, to_json(view));
      return "{\"stamp\":" + stamp(view.position()) + ",\"view\":" + json + "}";
    }
    // One view per calendar month (the first and last cut to the period), at most 10 years.
    const v1::CalendarDate from = request.from();
    const v1::CalendarDate to = request.to();
    if (!before(from, to)) return fail(Errc::invalid_argument, "from: must be before to");
    if (to.year() - from.year() > 10) return fail(Errc::invalid_argument, "to: at most 10 years after from");
    std::string months;
    for (v1::CalendarDate start = from; before(start, to);) {
      v1::CalendarDate end = next_month(start);
      if (before(to, end)) end = to;
      *request.mutable_from() = start;
      *request.mutable_to() = end;
      PLACEMENT_TRY(view, api::occupancy_view(*m, request));
      PLACEMENT_TRY(json, to_json(view));
      months += std::string(months.empty() ? "" : ",") + "{\"month\":" + json_string(iso_date(start).substr(0, 7)) +
                ",\"view\":" + json + "}";
      start = end;
    }
    return "{\"stamp\":" + stamp(m->model.position.value) + ",\"months\":[" + months + "]}";
  }
  if (path == "/api/waiting") {
    PLACEMENT_TRY(authorize_dashboard(who, api::Rpc::planning_waiting_lists));
    v1::WaitingListsRequest request;
    PLACEMENT_TRY_ASSIGN(*request.mutable_date(), date_param(target, "date"));
    PLACEMENT_TRY(m, model_at());
    PLACEMENT_TRY(view, api::waiting_lists_view(*m, request));
    PLACEMENT_TRY(json, to_json(view));
    return "{\"stamp\":" + stamp(view.position()) + ",\"view\":" + json + "}";
  }
  if (path == "/api/financing" || path == "/api/financing-models") {
    PLACEMENT_TRY(authorize_dashboard(who, api::Rpc::planning_financing));
    v1::FinancingRequest request;
    PLACEMENT_TRY_ASSIGN(*request.mutable_from(), date_param(target, "from"));
    PLACEMENT_TRY_ASSIGN(*request.mutable_to(), date_param(target, "to"));
    PLACEMENT_TRY(m, model_at());
    if (path == "/api/financing") {
      PLACEMENT_TRY(view, api::financing_view(*m, request));
      view.clear_offers();  // the dashboard shows municipalities, regions and totals
      PLACEMENT_TRY(json, to_json(view));
      return "{\"stamp\":" + stamp(view.position()) + ",\"view\":" + json + "}";
    }
    // The what-if: the offers financed OBJEKTIV in the model, each model in turn (MIXED at half
    // objective). The offers' own rates stay.
    std::vector<std::string> objective;
    for (const auto& [id, offer] : m->model.state.offers)
      if (offer.financing.model == domain::FinancingModel::objektiv) objective.push_back(id);
    // One view per model, computed side by side (the model is immutable while held).
    const auto view_under = [&m, &request, &objective](v1::FinancingModel model) -> Result<std::string> {
      v1::FinancingRequest what_if = request;
      for (const auto& id : objective) {
        auto* override_terms = what_if.add_overrides();
        override_terms->set_offer_id(id);
        override_terms->mutable_financing()->set_model(model);
        if (model == v1::FINANCING_MODEL_MIXED) override_terms->mutable_financing()->set_objective_share_bp(5000);
      }
      PLACEMENT_TRY(view, api::financing_view(*m, what_if));
      view.clear_offers();  // the comparison is per municipality
      return to_json(view);
    };
    constexpr v1::FinancingModel kModels[] = {v1::FINANCING_MODEL_OBJEKTIV, v1::FINANCING_MODEL_TAKST,
                                              v1::FINANCING_MODEL_BASIS, v1::FINANCING_MODEL_MIXED};
    std::vector<std::future<Result<std::string>>> computed;
    for (const auto model : kModels) computed.push_back(std::async(std::launch::async, view_under, model));
    std::string models;
    for (std::size_t i = 0; i < computed.size(); ++i) {
      PLACEMENT_TRY(json, computed[i].get());
      models += std::string(models.empty() ? "" : ",") + "{\"model\":" + std::to_string(static_cast<int>(kModels[i])) +
                ",\"view\":" + json + "}";
    }
    return "{\"stamp\":" + stamp(m->model.position.value) +
           ",\"objective_offers\":" + std::to_string(objective.size()) + ",\"models\":[" + models + "]}";
  }
  return fail(Errc::not_found, "no such API path: " + path);
}

}  // namespace placement::web
