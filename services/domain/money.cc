#include "services/domain/money.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace placement::domain {
namespace {

bool fits_int64(Int128 value) {
  return value >= std::numeric_limits<std::int64_t>::min() && value <= std::numeric_limits<std::int64_t>::max();
}

}  // namespace

Int128 divide_round_half_away(Int128 numerator, Int128 denominator) {
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const bool negative = numerator < 0;
  const Int128 magnitude = negative ? -numerator : numerator;
  const Int128 rounded = (magnitude * 2 + denominator) / (denominator * 2);
  return negative ? -rounded : rounded;
}

Result<std::vector<Ore>> split_largest_remainder(Ore total, std::span<const std::int64_t> weights) {
  if (weights.empty()) return fail(Errc::invalid_argument, "cannot split an amount among no parties");
  Int128 weight_sum = 0;
  for (std::int64_t w : weights) {
    if (w < 0) return fail(Errc::invalid_argument, "split weights must not be negative");
    weight_sum += w;
  }
  if (weight_sum == 0) return fail(Errc::invalid_argument, "cannot split an amount when all weights are zero");

  const bool negative = total.value < 0;
  const Int128 magnitude = negative ? -static_cast<Int128>(total.value) : static_cast<Int128>(total.value);

  std::vector<Ore> parts(weights.size());
  std::vector<Int128> remainders(weights.size());
  Int128 assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const Int128 product = magnitude * weights[i];
    const Int128 floor_share = product / weight_sum;
    remainders[i] = product % weight_sum;
    parts[i] = Ore{static_cast<std::int64_t>(floor_share)};
    assigned += floor_share;
  }

  // leftover < number of parts with a positive remainder, so zero weights never receive an øre.
  auto leftover = static_cast<std::size_t>(magnitude - assigned);
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t k = 0; k < leftover; ++k) parts[order[k]].value += 1;

  if (negative) {
    for (Ore& part : parts) part.value = -part.value;
  }
  return parts;
}

Result<Ore> scale(Ore amount, std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 0) return fail(Errc::invalid_argument, "cannot scale an amount by a fraction with denominator 0");
  const Int128 result =
      divide_round_half_away(static_cast<Int128>(amount.value) * numerator, static_cast<Int128>(denominator));
  if (!fits_int64(result)) return fail(Errc::invalid_argument, "amount out of range after scaling");
  return Ore{static_cast<std::int64_t>(result)};
}

Result<Ore> apply_basis_points(Ore amount, std::int64_t basis_points) {
  return scale(amount, basis_points, kBasisPointsWhole);
}

}  // namespace placement::domain
