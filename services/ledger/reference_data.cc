#include "services/ledger/reference_data.h"

#include <array>
#include <charconv>
#include <utility>

#include "storage/hash_chain.h"

namespace placement::ledger {
namespace {

constexpr std::array<std::pair<std::uint32_t, std::string_view>, 5> kRegions{
    {{1081, "Nordjylland"}, {1082, "Midtjylland"}, {1083, "Syddanmark"}, {1084, "Hovedstaden"}, {1085, "Sjælland"}}};

template <class Int> bool parse_int(std::string_view text, Int& out) {
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

Result<domain::LoadReferenceData> parse_reference_data(std::string_view csv) {
  domain::LoadReferenceData data;
  for (const auto& [code, name] : kRegions)
    data.regions.push_back({static_cast<std::int32_t>(code), std::string(name)});
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
    domain::RegisterMunicipality municipality;
    municipality.name = std::string(fields[1]);
    if (!parse_int(fields[0], municipality.code))
      return fail(Errc::invalid_argument, where + ": bad municipality code");
    if (!parse_int(fields[2], municipality.region_code))
      return fail(Errc::invalid_argument, where + ": bad region code");
    if (!parse_percent_bp(fields[3], municipality.objective_key_share_bp))
      return fail(Errc::invalid_argument, where + ": bad share");
    if (!parse_int(fields[4], municipality.objective_weight))
      return fail(Errc::invalid_argument, where + ": bad key weight");
    data.municipalities.push_back(std::move(municipality));
  }
  return data;
}

Result<std::vector<domain::MergeRegions>> parse_region_mergers(std::string_view csv) {
  std::vector<domain::MergeRegions> mergers;
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
      if (!line.starts_with("from,region_code,"))
        return fail(Errc::invalid_argument, "region mergers: line 1 must be the header from,region_code,...");
      continue;
    }
    const auto fields = split(line, ',');
    const std::string where = "region mergers line " + std::to_string(line_number);
    if (fields.size() != 4) return fail(Errc::invalid_argument, where + ": expected 4 fields");
    domain::MergeRegions merger;
    auto from = domain::parse_date(fields[0]);
    if (!from) return fail(Errc::invalid_argument, where + ": bad date: " + from.error().message);
    merger.from = from.value();
    if (!parse_int(fields[1], merger.code)) return fail(Errc::invalid_argument, where + ": bad region code");
    merger.name = std::string(fields[2]);
    for (std::string_view code : split(fields[3], ' ')) {
      if (code.empty()) continue;
      std::int32_t merged = 0;
      if (!parse_int(code, merged)) return fail(Errc::invalid_argument, where + ": bad merged region code");
      merger.merged.push_back(merged);
    }
    mergers.push_back(std::move(merger));
  }
  return mergers;
}

std::string region_merger_command_id(const domain::MergeRegions& merger) {
  std::string text = domain::to_string(merger.from) + "," + std::to_string(merger.code) + "," + merger.name;
  for (std::int32_t code : merger.merged) text += "," + std::to_string(code);
  return "region-merger/" + storage::to_hex(storage::chain_hash("", text)).substr(0, 32);
}

std::string reference_data_command_id(std::string_view csv) {
  return "reference-data/" + storage::to_hex(storage::chain_hash("", csv)).substr(0, 32);
}

}  // namespace placement::ledger
