#pragma once
// Tokens revoked one by one, by their `jti`, before they expire: a line per revocation in a file
// beside the data folder, appended and synced before revoke() returns, so a revocation holds at
// once and across restarts. A revocation is kept as long as a token revoked with it could still
// be valid (kMaxLifetime and twice the clock skew after it was made); older lines are left out
// when the file is read at start. Thread-safe: verifying threads read while an admin call appends.
//
// File: one `<jti> <unix seconds>` line per revocation; created 0600 (owner only), never
// followed through a symlink.

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "services/base/result.h"

namespace placement::auth {

class RevokedTokens {
 public:
  // Reads the file (created when missing); entries past their use as of `now` are dropped.
  static Result<std::unique_ptr<RevokedTokens>> open(const std::filesystem::path& path,
                                                     std::chrono::system_clock::time_point now);
  ~RevokedTokens();
  RevokedTokens(const RevokedTokens&) = delete;
  RevokedTokens& operator=(const RevokedTokens&) = delete;

  bool contains(std::string_view token_id) const;
  // Records the revocation durably (appended and fsync'ed) and then in memory. false when the id
  // was revoked already (nothing written). invalid_argument for an id no token could carry.
  Result<bool> revoke(std::string_view token_id, std::chrono::system_clock::time_point now);
  std::size_t size() const;

 private:
  RevokedTokens(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::filesystem::path path_;
  int fd_;                   // open for appending, O_APPEND
  std::mutex append_mutex_;  // one append at a time
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::int64_t> revoked_at_;  // jti → unix seconds
};

}  // namespace placement::auth
