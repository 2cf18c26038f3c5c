#pragma once
// Remembers the claims of tokens that verified, so a client that sends the same token with every
// call (as clients do, for the token's life) pays for the signature check and the JSON parsing
// once, not per call.
//
// Keyed by the token's exact bytes: a token that differs in any byte, its signature included, is
// a different key and is verified afresh. Only tokens that verified are kept, so the cache can
// fill only with tokens signed under the server's secrets. What can change for a token that
// verified is only time: a hit is refused once the token has expired (exp + skew), exactly as
// verifying it again would refuse it; its other time checks (iat, nbf) can only get easier to pass
// as time goes on. Bounded: when full, it starts over empty. Thread-safe.

#include <chrono>
#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "services/auth/claims.h"

namespace placement::auth {

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t capacity = 4096) : capacity_(capacity) {}

  // The claims of a token that verified before and has not expired by `now` (with `skew`).
  std::optional<Claims> find(std::string_view token, std::chrono::system_clock::time_point now,
                             std::chrono::seconds skew) const;
  // Remembers a token that has just verified.
  void remember(std::string_view token, const Claims& claims);

  std::size_t size() const;
  // Forgets every token (the keys that verified them changed).
  void clear();

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  const std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Claims, Hash, std::equal_to<>> claims_;
};

}  // namespace placement::auth
