#pragma once
// The log's integrity as the server sees it: what the start's verification found
// (storage/integrity_check.h), the background scrub (storage/chain_scrub.h), and whether the log
// is broken, where and since when. /readyz, gRPC health and /metrics read it from here.

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "services/placementd/config.h"
#include "storage/chain_scrub.h"
#include "storage/integrity_check.h"

namespace placement::placementd {

class LogIntegrity {
 public:
  LogIntegrity(OnCorruption mode, storage::StartVerification at_start);
  ~LogIntegrity();  // stops the scrub

  OnCorruption mode() const { return mode_; }
  // Where the log is broken; nullopt while it is not known to be. Any thread.
  std::optional<storage::IntegrityBreak> broken() const;
  // Records a break found while serving ("the scrub"); the first one stays. Any thread.
  void set_broken(const storage::IntegrityBreak& found);
  // "the log is broken at position 17: …; serving reads only" (empty while not broken).
  std::string describe() const;

  // Starts the background scrub over `log`; `on_break` runs on the scrub's thread.
  void start_scrub(storage::RocksDbEventLog& log, storage::ScrubOptions options, storage::ChainScrub::OnBreak on_break);
  // Stops it (joins its thread); before the log closes. Idempotent.
  void stop_scrub();

  // The placement_log_integrity_* and placement_scrub_* gauges.
  void render_metrics(std::string& out) const;

 private:
  const OnCorruption mode_;
  const storage::StartVerification at_start_;
  mutable std::mutex mutex_;
  std::optional<storage::IntegrityBreak> broken_;
  std::string found_by_;  // "start" or "scrub"
  std::unique_ptr<storage::ChainScrub> scrub_;
};

}  // namespace placement::placementd
