#pragma once
// Strong types for the project's shared vocabulary, so a position is never passed where
// a version or an amount of money is expected.

#include <compare>
#include <cstdint>

namespace placement {

template <class Tag, class Rep> struct Strong {
  Rep value{};
  constexpr Strong() = default;
  constexpr explicit Strong(Rep v) : value(v) {}
  friend constexpr auto operator<=>(const Strong&, const Strong&) = default;
};

// Global position in the event log: 1 for the first event; 0 means "before the first event".
using Position = Strong<struct PositionTag, std::uint64_t>;

// Version of one stream: 1 for its first event; 0 means the stream does not exist yet.
using StreamVersion = Strong<struct StreamVersionTag, std::uint64_t>;

// Money in øre (1 kr = 100 øre). Never a floating-point number.
struct Ore : Strong<struct OreTag, std::int64_t> {
  using Strong::Strong;
  friend constexpr Ore operator+(Ore a, Ore b) { return Ore{a.value + b.value}; }
  friend constexpr Ore operator-(Ore a, Ore b) { return Ore{a.value - b.value}; }
  constexpr Ore& operator+=(Ore o) {
    value += o.value;
    return *this;
  }
  constexpr Ore& operator-=(Ore o) {
    value -= o.value;
    return *this;
  }
  friend constexpr auto operator<=>(const Ore&, const Ore&) = default;
};

}  // namespace placement
