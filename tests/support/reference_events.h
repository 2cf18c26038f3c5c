#pragma once
// How many events a server's first start writes: the built-in reference data (its 5 regions and
// 98 municipalities, one event each, kReferenceDataEvents) and then the merger of regions shipped
// with it (Region Østdanmark from 2027-01-01: the region established, the 29 + 17 municipalities
// of Hovedstaden and Sjælland moved to it, the two regions ceased, kRegionMergerEvents), at
// positions 1..kReferenceEvents of a new log. The first event of a test's own commands is at
// kReferenceEvents + 1. tests/unit/ledger/reference_data_test.cc checks that the built-in data
// decides exactly that many.

#include <cstdint>

namespace placement::testing {

inline constexpr std::uint64_t kReferenceDataEvents = 103;
inline constexpr std::uint64_t kRegionMergerEvents = 1 + 29 + 17 + 2;
inline constexpr std::uint64_t kReferenceEvents = kReferenceDataEvents + kRegionMergerEvents;

}  // namespace placement::testing
