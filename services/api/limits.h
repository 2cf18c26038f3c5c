#pragma once
// What one caller may ask of the server, in one place. Strings inside a request are held to
// services/codec/input_limits.h while it is mapped; these are the limits around whole calls.
// docs/API.md ("Limits") lists them for clients; the configurable ones are Config settings.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace placement::api {

// A bigger request is refused by gRPC with RESOURCE_EXHAUSTED before any handler sees it. The
// largest legitimate request (an objective key naming all 98 municipalities) is a few KB.
inline constexpr int kMaxRequestBytes = 1 << 20;

// ListOffers and ListPlacements answer in pages of at most this many items (page_size 0 or
// above it means this), so an answer stays well under a client's default 4 MB receive limit.
inline constexpr std::uint32_t kMaxPageSize = 1000;

// The page size a list call gets.
constexpr std::uint32_t page_size_of(std::uint32_t requested) {
  return requested == 0 || requested > kMaxPageSize ? kMaxPageSize : requested;
}

// AuditService.StreamEvents. Each stream has at most one message in flight (gRPC flow control
// holds it until the client reads) and at most `read_chunk` events buffered, so memory per
// stream is bounded; these bound the number of streams and how long one may last.
struct StreamLimits {
  std::size_t read_chunk = 256;             // events read from the log per step of a stream
  std::size_t max_streams = 64;             // open at once, server-wide
  std::size_t max_streams_per_role = 32;    // open at once, by the callers of one role together
  std::size_t max_streams_per_caller = 8;   // open at once, per authenticated caller (role, scope, subject)
  std::chrono::seconds max_duration{3600};  // then the stream ends; follow again from the last position
};

}  // namespace placement::api
