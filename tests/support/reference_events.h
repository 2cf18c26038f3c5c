#pragma once
// How many events the built-in reference data writes on a server's first start: its 5 regions
// and 98 municipalities, one event each, at positions 1..kReferenceEvents of a new log. The
// first event of a test's own commands is at kReferenceEvents + 1.
// tests/unit/ledger/reference_data_test.cc checks that the built-in CSV decides exactly that many.

#include <cstdint>

namespace placement::testing {

inline constexpr std::uint64_t kReferenceEvents = 103;

}  // namespace placement::testing
