// Reference data: regions and municipalities with their objective-key weights.

#include "services/domain/decide_support.h"

#include "services/domain/apply.h"
#include "services/domain/organisation.h"

namespace placement::domain::detail {

Result<Events> decide_command(const State& state, const Command&, const RegisterRegion& body) {
  if (!is_region_code(body.code)) {
    return fail(Errc::invalid_argument, "region code must be " + std::to_string(kFirstRegionCode) + " to " +
                                            std::to_string(kLastRegionCode) + ", got " + std::to_string(body.code));
  }
  if (is_blank(body.name)) return fail(Errc::invalid_argument, "a region needs a name");
  if (state.regions.contains(body.code)) {
    return fail(Errc::already_exists, "region " + std::to_string(body.code) + " is already registered");
  }
  return Events{RegionRegistered{body.code, body.name}};
}

Result<Events> decide_command(const State& state, const Command&, const RegisterMunicipality& body) {
  if (body.code < 1 || body.code > 999) {
    return fail(Errc::invalid_argument, "municipality code must be 1 to 999, got " + std::to_string(body.code));
  }
  if (is_blank(body.name)) return fail(Errc::invalid_argument, "a municipality needs a name");
  if (!state.regions.contains(body.region_code)) {
    return fail(Errc::invalid_argument, "region " + std::to_string(body.region_code) + " is not registered");
  }
  if (body.objective_weight < 0) return fail(Errc::invalid_argument, "an objective-key weight must not be negative");
  if (state.municipalities.contains(body.code)) {
    return fail(Errc::already_exists, "municipality " + std::to_string(body.code) + " is already registered");
  }
  Events events{MunicipalityRegistered{body.code, body.name, body.region_code, body.objective_weight,
                                       body.objective_key_share_bp}};
  // Registered into a region that ceases: it moves to the successor on that date.
  PLACEMENT_TRY(successor, successor_from(state, body.region_code));
  if (successor) events.emplace_back(MunicipalityRegionChanged{body.code, successor->second, successor->first});
  return events;
}

Result<Events> decide_command(const State& state, const Command& command, const LoadReferenceData& body) {
  if (!state.regions.empty()) return fail(Errc::already_exists, "the reference data is already loaded");
  if (body.regions.empty() || body.municipalities.empty())
    return fail(Errc::invalid_argument, "the reference data needs at least one region and one municipality");
  // Each entry is decided against the entries before it, exactly as the single commands would be.
  State loaded;
  Events events;
  const auto add = [&](const auto& entry) -> Status {
    auto decided = decide_command(loaded, command, entry);
    // Whatever one entry breaks (a duplicate code included) makes the data as a whole malformed.
    if (!decided) return fail(Errc::invalid_argument, "reference data: " + decided.error().message);
    for (Event& event : decided.value()) {
      domain::apply(loaded, event);
      events.push_back(std::move(event));
    }
    return ok();
  };
  for (const RegisterRegion& region : body.regions) {
    PLACEMENT_TRY(add(region));
  }
  for (const RegisterMunicipality& municipality : body.municipalities) {
    PLACEMENT_TRY(add(municipality));
  }
  return events;
}

Result<Events> decide_command(const State& state, const Command&, const SetObjectiveWeight& body) {
  if (!state.municipalities.contains(body.municipality_code)) {
    return fail(Errc::not_found, "municipality " + std::to_string(body.municipality_code) + " is not registered");
  }
  if (body.weight < 0) return fail(Errc::invalid_argument, "an objective-key weight must not be negative");
  return Events{ObjectiveWeightChanged{body.municipality_code, body.weight}};
}

}  // namespace placement::domain::detail
