#pragma once
// The reference data every ledger starts with: the 5 regions and the 98 municipalities with
// their default objective key, appended once as events to the stream "reference".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"
#include "storage/event_log.h"

namespace placement::ledger {

struct MunicipalityRow {
  std::uint32_t code = 0;
  std::string name;
  std::uint32_t region_code = 0;
  std::uint32_t share_bp = 0;     // hundredths of a percent
  std::int64_t key_weight = 0;    // 1,000 kr
};

inline constexpr std::string_view kReferenceStream = "reference";

// The copy of municipalities.csv built into the binary.
std::string_view builtin_municipalities_csv();

// Parses municipality_code,name,region_code,kmf_2019_share_pct,kmf_2019_tkr with a header line.
// Refuses unknown regions, duplicate codes and malformed numbers, naming the line.
Result<std::vector<MunicipalityRow>> parse_municipalities_csv(std::string_view csv);

// The one command that registers the regions and the municipalities. Its command id is derived
// from the content, so loading the same data twice writes nothing the second time.
storage::AppendRequest reference_data_request(const std::vector<MunicipalityRow>& rows, std::string_view csv);

}  // namespace placement::ledger
