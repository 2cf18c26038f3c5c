#include "services/ledger/reference_data.h"

#include <array>
#include <charconv>
#include <set>
#include <utility>

#include "placement/v1/reference_events.pb.h"
#include "storage/hash_chain.h"

namespace placement::ledger {
namespace {

constexpr std::array<std::pair<std::uint32_t, std::string_view>, 5> kRegions{{
    {1081, "Nordjylland"}, {1082, "Midtjylland"}, {1083, "Syddanmark"}, {1084, "Hovedstaden"}, {1085, "Sjælland"}}};

bool is_region(std::uint32_t code) {
  for (const auto& [region, name] : kRegions)
    if (region == code) return true;
  return false;
}

template <class Int>
bool parse_int(std::string_view text, Int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// "8.58" → 858; at most two decimals, never through floating point.
bool parse_percent_bp(std::string_view text, std::uint32_t& out) {
  const auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string decimals = dot == std::string_view::npos ? "" : std::string(text.substr(dot + 1));
  if (decimals.size() > 2) return false;
  decimals.resize(2, '0');
  std::uint32_t w = 0, d = 0;
  if (!parse_int(whole, w) || !parse_int(std::string_view(decimals), d)) return false;
  out = w * 100 + d;
  return true;
}

std::vector<std::string_view> split(std::string_view line, char separator) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const auto next = line.find(separator, start);
    fields.push_back(line.substr(start, next - start));
    if (next == std::string_view::npos) return fields;
    start = next + 1;
  }
}

}  // namespace

Result<std::vector<MunicipalityRow>> parse_municipalities_csv(std::string_view csv) {
  std::vector<MunicipalityRow> rows;
  std::set<std::uint32_t> seen;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < csv.size()) {
    auto end = csv.find('\n', start);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line_number == 1) {
      if (!line.starts_with("municipality_code,"))
        return fail(Errc::invalid_argument, "reference data: line 1 must be the header municipality_code,name,...");
      continue;
    }
    const auto fields = split(line, ',');
    const std::string where = "reference data line " + std::to_string(line_number);
    if (fields.size() != 5) return fail(Errc::invalid_argument, where + ": expected 5 fields");
    MunicipalityRow row;
    row.name = std::string(fields[1]);
    if (!parse_int(fields[0], row.code) || row.code == 0 || row.code > 999)
      return fail(Errc::invalid_argument, where + ": municipality code must be 1-999");
    if (!parse_int(fields[2], row.region_code) || !is_region(row.region_code))
      return fail(Errc::invalid_argument, where + ": unknown region code");
    if (!parse_percent_bp(fields[3], row.share_bp)) return fail(Errc::invalid_argument, where + ": bad share");
    if (!parse_int(fields[4], row.key_weight) || row.key_weight < 0)
      return fail(Errc::invalid_argument, where + ": bad key weight");
    if (row.name.empty()) return fail(Errc::invalid_argument, where + ": empty name");
    if (!seen.insert(row.code).second) return fail(Errc::invalid_argument, where + ": duplicate municipality code");
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return fail(Errc::invalid_argument, "reference data holds no municipality");
  return rows;
}

storage::AppendRequest reference_data_request(const std::vector<MunicipalityRow>& rows, std::string_view csv) {
  storage::AppendRequest request;
  request.command_id = "reference-data/" + storage::to_hex(storage::chain_hash("", csv)).substr(0, 32);
  request.actor.set_subject("placementd");
  request.actor.set_role(v1::ROLE_SYSTEM);
  request.recorded_at = std::chrono::system_clock::now();
  storage::StreamAppend stream{std::string(kReferenceStream), storage::ExpectedVersion::no_stream(), {}};
  for (const auto& [code, name] : kRegions) {
    v1::RegionRegistered event;
    event.set_region_code(code);
    event.set_name(std::string(name));
    stream.events.push_back({"RegionRegistered", event.SerializeAsString()});
  }
  for (const auto& row : rows) {
    v1::MunicipalityRegistered event;
    event.set_municipality_code(row.code);
    event.set_name(row.name);
    event.set_region_code(row.region_code);
    event.set_objective_key_weight(row.key_weight);
    event.set_objective_key_share_bp(row.share_bp);
    stream.events.push_back({"MunicipalityRegistered", event.SerializeAsString()});
  }
  request.streams.push_back(std::move(stream));
  return request;
}

}  // namespace placement::ledger
