#include "services/auth/verified_token_cache.h"

#include <mutex>

namespace placement::auth {

std::optional<Claims> VerifiedTokenCache::find(std::string_view token, std::chrono::system_clock::time_point now,
                                               std::chrono::seconds skew) const {
  std::shared_lock lock(mutex_);
  const auto found = claims_.find(token);
  if (found == claims_.end() || now > found->second.expires_at + skew) return std::nullopt;
  return found->second;
}

void VerifiedTokenCache::remember(std::string_view token, const Claims& claims) {
  std::unique_lock lock(mutex_);
  // Starting over is crude but bounded and cheap; a server sees far fewer live tokens than this.
  if (claims_.size() >= capacity_) claims_.clear();
  claims_.insert_or_assign(std::string(token), claims);
}

void VerifiedTokenCache::clear() {
  std::unique_lock lock(mutex_);
  claims_.clear();
}

std::size_t VerifiedTokenCache::size() const {
  std::shared_lock lock(mutex_);
  return claims_.size();
}

}  // namespace placement::auth
