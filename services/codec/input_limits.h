#pragma once
// The size limits every request's strings are held to, checked while mapping a request and before
// anything is decided or written, so an oversized field is an invalid_argument naming the field
// (and is never echoed back, logged or stored). The message as a whole is capped earlier, by the
// server's receive limit (services/api/limits.h).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::codec {

// Offer and placement ids: domain::validate_id allows at most 64 characters for a new one, so a
// longer reference can name nothing.
inline constexpr std::size_t kMaxIdLength = 64;
// Command ids are the caller's own: 1..128 printable ASCII characters.
inline constexpr std::size_t kMaxCommandIdLength = 128;
// Free text (names, paragraphs of law, reasons).
inline constexpr std::size_t kMaxTextLength = 1000;
// An audit read's filters: a stream id ("offer-<offer id>", …) and a list of event type names.
inline constexpr std::size_t kMaxStreamIdLength = 128;
inline constexpr std::size_t kMaxFilterEntries = 64;

// Money, in øre. Far beyond any real amount, and small enough that the views' sums over every
// day, placement and municipality stay inside int64: a daily rate of 1 million kr, and any
// other amount (a budget, a block grant, a month's income) of 100 billion kr.
inline constexpr std::int64_t kMaxDailyRateOre = 100'000'000;
inline constexpr std::int64_t kMaxAmountOre = 10'000'000'000'000;

// Refuses an amount whose magnitude is beyond `max`; the sign is the domain's to judge.
inline Status check_amount(std::int64_t ore, std::int64_t max, std::string_view field) {
  if (ore <= max && ore >= -max) return ok();
  return fail(Errc::invalid_argument, std::string(field) + " is beyond " + std::to_string(max) + " øre");
}

// An id naming an existing offer or placement; empty passes (the domain refuses a missing id).
inline Status check_id_length(std::string_view id, std::string_view field) {
  if (id.size() <= kMaxIdLength) return ok();
  return fail(Errc::invalid_argument,
              std::string(field) + " is longer than " + std::to_string(kMaxIdLength) + " characters");
}

inline Status check_text(std::string_view text, std::string_view field, bool required) {
  if (required && text.empty()) return fail(Errc::invalid_argument, std::string(field) + " is required");
  if (text.size() > kMaxTextLength)
    return fail(Errc::invalid_argument,
                std::string(field) + " is longer than " + std::to_string(kMaxTextLength) + " characters");
  return ok();
}

}  // namespace placement::codec
