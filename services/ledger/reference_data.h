#pragma once
// The reference data loaded at a first start: the five regions and the municipalities of
// deploy/reference/municipalities.csv, as one domain command (domain::LoadReferenceData), written
// through the ledger like every other command. This file only reads the CSV; the rules (codes,
// regions, weights, duplicates) are the domain's.

#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"
#include "services/domain/commands.h"

namespace placement::ledger {

// The copy of municipalities.csv built into the binary.
std::string_view builtin_municipalities_csv();

// The regions by their code and name (1081 Nordjylland … 1085 Sjælland) and one municipality per
// line of municipality_code,name,region_code,kmf_2019_share_pct,kmf_2019_tkr under a header line.
// Refuses (invalid_argument, naming the line) a missing header, a line without five fields and a
// number that does not parse; what the numbers mean is decided by domain::decide.
Result<domain::LoadReferenceData> parse_reference_data(std::string_view csv);

// Derived from the content, so loading the same data twice is one command, written once.
std::string reference_data_command_id(std::string_view csv);

// The copy of region-mergers.csv built into the binary: the mergers of regions the law has decided
// (Region Østdanmark from 2027-01-01), applied to every data folder once its reference data is in.
std::string_view builtin_region_mergers_csv();

// One merger per line of from,region_code,name,merged_region_codes (the merged codes separated by
// spaces, the date YYYY-MM-DD) under a header line. Refuses (invalid_argument, naming the line) a
// missing header, a line without four fields and a number or date that does not parse.
Result<std::vector<domain::MergeRegions>> parse_region_mergers(std::string_view csv);

// Derived from the merger, so applying it on every start writes it once.
std::string region_merger_command_id(const domain::MergeRegions& merger);

}  // namespace placement::ledger
