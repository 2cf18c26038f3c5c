#include "services/placementd/caller.h"

#include <charconv>
#include <string_view>

namespace placement::placementd {
namespace {

std::string_view metadata(const grpc::CallbackServerContext& context, std::string_view key) {
  const auto& all = context.client_metadata();
  auto it = all.find(grpc::string_ref(key.data(), key.size()));
  if (it == all.end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

std::string_view role_name(v1::Role role) {
  switch (role) {
    case v1::ROLE_CASEWORKER: return "caseworker";
    case v1::ROLE_PLANNER: return "planner";
    case v1::ROLE_AUDITOR: return "auditor";
    case v1::ROLE_ADMIN: return "admin";
    case v1::ROLE_SYSTEM: return "system";
    default: return "unknown";
  }
}

}  // namespace

Result<v1::Actor> caller_of(const grpc::CallbackServerContext& context) {
  const std::string_view subject = metadata(context, "x-placement-subject");
  const std::string_view role = metadata(context, "x-placement-role");
  if (subject.empty() || role.empty())
    return fail(Errc::unauthenticated, "say who you are: metadata x-placement-subject and x-placement-role are required");
  if (subject.size() > 128) return fail(Errc::unauthenticated, "x-placement-subject is longer than 128 characters");
  v1::Actor actor;
  actor.set_subject(std::string(subject));
  if (role == "caseworker") actor.set_role(v1::ROLE_CASEWORKER);
  else if (role == "planner") actor.set_role(v1::ROLE_PLANNER);
  else if (role == "auditor") actor.set_role(v1::ROLE_AUDITOR);
  else if (role == "admin") actor.set_role(v1::ROLE_ADMIN);
  else return fail(Errc::unauthenticated, "x-placement-role must be caseworker, planner, auditor or admin");
  if (actor.role() == v1::ROLE_CASEWORKER) {
    const std::string_view text = metadata(context, "x-placement-municipality");
    std::uint32_t code = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || code == 0 || code > 999)
      return fail(Errc::unauthenticated, "a caseworker must name their municipality code in x-placement-municipality");
    actor.set_municipality_code(code);
  }
  return actor;
}

Status authorize(const v1::Actor& caller, Rpc rpc) {
  const auto role = caller.role();
  const bool admin = role == v1::ROLE_ADMIN;
  const bool caseworker = role == v1::ROLE_CASEWORKER;
  const bool planner = role == v1::ROLE_PLANNER;
  const bool auditor = role == v1::ROLE_AUDITOR;
  bool allowed = false;
  switch (rpc) {
    // Operator administration.
    case Rpc::register_offer:
    case Rpc::change_capacity:
    case Rpc::set_rate:
    case Rpc::close_offer:
    case Rpc::allocate_place:
    case Rpc::reject_placement: allowed = admin; break;
    // Offers and their aggregates carry no citizen: everyone may read them.
    case Rpc::get_offer:
    case Rpc::list_offers:
    case Rpc::get_capacity:
    case Rpc::search_vacancies: allowed = admin || caseworker || planner || auditor; break;
    // Citizen-level work: caseworkers for their own municipality, admins for operators.
    case Rpc::request_placement:
    case Rpc::reserve_place:
    case Rpc::admit_placement:
    case Rpc::transfer_placement:
    case Rpc::discharge_placement:
    case Rpc::withdraw_placement:
    case Rpc::get_placement:
    case Rpc::list_placements: allowed = caseworker || admin; break;
    // The log itself.
    case Rpc::stream_events:
    case Rpc::verify_chain:
    case Rpc::get_head: allowed = auditor || admin; break;
    // Operations on the service itself.
    case Rpc::create_backup: allowed = admin; break;
    // Planning views (PlanningService). None carries a citizen, CPR number or pseudonym. Capacity,
    // occupancy and waiting lists are aggregates of offers: caseworkers may read them too, as they
    // read an offer's capacity. Financing and settlement show what other municipalities pay:
    // planners, auditors and admins only, never caseworkers.
    case Rpc::planning_capacity:
    case Rpc::planning_occupancy:
    case Rpc::planning_waiting_lists: allowed = admin || planner || auditor || caseworker; break;
    case Rpc::planning_financing:
    case Rpc::planning_settlement: allowed = admin || planner || auditor; break;
    // Planning inputs (objective keys, block grants, refund tiers, income): admins only.
    case Rpc::set_objective_key:
    case Rpc::set_block_grant:
    case Rpc::set_refund_tiers:
    case Rpc::record_income: allowed = admin; break;
  }
  if (allowed) return ok();
  return fail(Errc::permission_denied, "the role " + std::string(role_name(role)) + " may not do this");
}

Status authorize_municipality(const v1::Actor& caller, std::uint32_t paying_municipality) {
  if (caller.role() != v1::ROLE_CASEWORKER || caller.municipality_code() == paying_municipality) return ok();
  return fail(Errc::permission_denied, "a caseworker of municipality " + std::to_string(caller.municipality_code()) +
                                           " may act only for that municipality's citizens");
}

}  // namespace placement::placementd
