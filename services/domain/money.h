#pragma once
// Integer money arithmetic in øre. No floating point; intermediate products use __int128,
// and every split adds up exactly to the amount split.

#include <cstdint>
#include <span>
#include <vector>

#include "services/base/result.h"
#include "services/base/types.h"

namespace placement::domain {

// -Wpedantic rejects the __int128 spelling; __extension__ marks it as intended.
__extension__ typedef __int128 Int128;

inline constexpr std::int64_t kBasisPointsWhole = 10'000;  // 100 %

// Splits total in proportion to weights with largest-remainder rounding: each part gets the floor
// of its exact share, and the øre left over go one each to the largest remainders, ties to the
// lower index. The parts add up exactly to total; a zero weight gets zero. A negative total is split
// as its absolute value and every part negated, so the rounding is symmetric.
// Errors (invalid_argument): no weights, a negative weight, all weights zero.
Result<std::vector<Ore>> split_largest_remainder(Ore total, std::span<const std::int64_t> weights);

// amount × numerator ÷ denominator, rounded half away from zero.
// Errors (invalid_argument): denominator 0, or a result outside the int64 range.
Result<Ore> scale(Ore amount, std::int64_t numerator, std::int64_t denominator);

// amount × basis_points ÷ 10000, rounded half away from zero.
Result<Ore> apply_basis_points(Ore amount, std::int64_t basis_points);

// numerator ÷ denominator rounded half away from zero, for callers that build their own product.
// Precondition: denominator != 0.
Int128 divide_round_half_away(Int128 numerator, Int128 denominator);

}  // namespace placement::domain
