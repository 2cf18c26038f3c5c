#include "services/codec/organisation_mapping.h"

#include "services/codec/vocabulary_codec.h"
#include "services/domain/organisation.h"

namespace placement::codec {
namespace {

Result<domain::Date> required_from(bool present, const v1::CalendarDate& date) {
  if (!present) return fail(Errc::invalid_argument, "from: a date is required (YYYY-MM-DD)");
  return from_proto(date, "from");
}

void fill_region(const domain::State& state, const domain::Region& region, domain::Date date, bool members,
                 v1::OrganisationRegion* out) {
  out->set_region_code(code_to_proto(region.code));
  out->set_name(region.name);
  if (region.established_from) *out->mutable_established_from() = to_proto(*region.established_from);
  if (region.ceased_from) *out->mutable_ceased_from() = to_proto(*region.ceased_from);
  out->set_successor_region_code(code_to_proto(region.successor_code));
  if (!members) return;
  for (std::int32_t code : domain::municipalities_of_region_on(state, region.code, date))
    out->add_municipality_codes(code_to_proto(code));
}

}  // namespace

Result<domain::EstablishRegion> to_command(const v1::EstablishRegionRequest& request) {
  PLACEMENT_TRY(code, code_from_proto(request.region_code(), "region_code"));
  PLACEMENT_TRY(from, required_from(request.has_from(), request.from()));
  return domain::EstablishRegion{code, request.name(), from};
}

Result<domain::CeaseRegion> to_command(const v1::CeaseRegionRequest& request) {
  PLACEMENT_TRY(code, code_from_proto(request.region_code(), "region_code"));
  PLACEMENT_TRY(from, required_from(request.has_from(), request.from()));
  PLACEMENT_TRY(successor, code_from_proto(request.successor_region_code(), "successor_region_code"));
  return domain::CeaseRegion{code, from, successor};
}

Result<domain::ChangeMunicipalityRegion> to_command(const v1::ChangeMunicipalityRegionRequest& request) {
  PLACEMENT_TRY(municipality, code_from_proto(request.municipality_code(), "municipality_code"));
  PLACEMENT_TRY(region, code_from_proto(request.region_code(), "region_code"));
  PLACEMENT_TRY(from, required_from(request.has_from(), request.from()));
  return domain::ChangeMunicipalityRegion{municipality, region, from};
}

Result<domain::ChangeOfferOperator> to_command(const v1::ChangeOfferOperatorRequest& request) {
  PLACEMENT_TRY(operator_code, code_from_proto(request.operator_code(), "operator_code"));
  PLACEMENT_TRY(from, required_from(request.has_from(), request.from()));
  return domain::ChangeOfferOperator{request.offer_id(), operator_code, from};
}

Result<domain::MergeRegions> to_command(const v1::MergeRegionsRequest& request) {
  PLACEMENT_TRY(code, code_from_proto(request.region_code(), "region_code"));
  PLACEMENT_TRY(from, required_from(request.has_from(), request.from()));
  domain::MergeRegions command{code, request.name(), from, {}};
  for (std::uint32_t merged : request.merged_region_codes()) {
    PLACEMENT_TRY(region, code_from_proto(merged, "merged_region_codes"));
    command.merged.push_back(region);
  }
  return command;
}

v1::GetOrganisationResponse to_proto(const domain::State& state, domain::Date date, Position position) {
  v1::GetOrganisationResponse out;
  *out.mutable_date() = to_proto(date);
  for (const auto& [code, region] : state.regions) {
    const bool exists = domain::exists_on(region, date);
    fill_region(state, region, date, exists, exists ? out.add_regions() : out.add_other_regions());
  }
  for (const auto& [code, municipality] : state.municipalities) {
    auto* added = out.add_municipalities();
    added->set_municipality_code(code_to_proto(code));
    added->set_name(municipality.name);
    added->set_region_code(code_to_proto(domain::region_of_municipality_on(municipality, date)));
  }
  out.set_position(position.value);
  return out;
}

}  // namespace placement::codec
