#include "services/placementd/log_integrity.h"

#include "services/placementd/metrics.h"

namespace placement::placementd {

LogIntegrity::LogIntegrity(OnCorruption mode, storage::StartVerification at_start)
    : mode_(mode), at_start_(std::move(at_start)) {
  if (at_start_.broken) {
    broken_ = at_start_.broken;
    found_by_ = "start";
  }
}

LogIntegrity::~LogIntegrity() { stop_scrub(); }

std::optional<storage::IntegrityBreak> LogIntegrity::broken() const {
  std::lock_guard lock(mutex_);
  return broken_;
}

void LogIntegrity::set_broken(const storage::IntegrityBreak& found) {
  std::lock_guard lock(mutex_);
  if (broken_) return;
  broken_ = found;
  found_by_ = "scrub";
}

std::string LogIntegrity::describe() const {
  std::lock_guard lock(mutex_);
  if (!broken_) return "";
  return "the log is broken " + broken_->describe() + " (found by the " + found_by_ + "); " +
         (mode_ == OnCorruption::read_only ? "serving reads only, refusing writes" : "refusing to serve");
}

void LogIntegrity::start_scrub(storage::RocksDbEventLog& log, storage::ScrubOptions options,
                               storage::ChainScrub::OnBreak on_break) {
  scrub_ = std::make_unique<storage::ChainScrub>(log, options, std::move(on_break));
  scrub_->start();
}

void LogIntegrity::stop_scrub() {
  if (scrub_) scrub_->stop();
}

void LogIntegrity::render_metrics(std::string& out) const {
  const auto found = broken();
  render_gauge(out, "placement_log_integrity_ok", "1 while the log's chain and table files verify, 0 once broken.",
               found ? 0 : 1);
  render_gauge(out, "placement_log_integrity_broken_position",
               "First position found broken (0: none, or a table file that names no event).",
               found ? static_cast<double>(found->position.value) : 0);
  render_gauge(out, "placement_log_start_verified_from", "First position the start's chain verification recomputed.",
               static_cast<double>(at_start_.from.value));
  render_gauge(out, "placement_log_start_verified_events", "Events the start's chain verification recomputed.",
               static_cast<double>(at_start_.checked));
  if (!scrub_) return;
  const auto progress = scrub_->progress();
  render_gauge(out, "placement_scrub_passes", "Scrub passes finished.", static_cast<double>(progress.passes));
  render_gauge(out, "placement_scrub_pass_events_checked", "Events the running (or last) pass has verified.",
               static_cast<double>(progress.pass_events_checked));
  render_gauge(out, "placement_scrub_pass_events_total", "Events the running (or last) pass verifies (its head).",
               static_cast<double>(progress.pass_events_total));
  render_gauge(out, "placement_scrub_pass_table_files_checked", "Table files whose checksums the pass verified.",
               static_cast<double>(progress.pass_files_checked));
  render_gauge(out, "placement_scrub_pass_table_files_total", "Table files the pass verifies.",
               static_cast<double>(progress.pass_files_total));
  render_gauge(out, "placement_scrub_pass_table_bytes_checked", "Bytes of table files the pass verified.",
               static_cast<double>(progress.pass_bytes_checked));
  out += "# HELP placement_scrub_last_result Result of the last finished pass (1 on its label).\n";
  out += "# TYPE placement_scrub_last_result gauge\n";
  for (const char* result : {"none", "ok", "broken", "error"})
    out += std::string("placement_scrub_last_result{result=\"") + result + "\"} " +
           (progress.last_result == result ? "1" : "0") + "\n";
  render_gauge(
      out, "placement_scrub_last_pass_end_seconds", "Unix time the last pass ended (0: none yet).",
      progress.passes == 0
          ? 0
          : static_cast<double>(
                std::chrono::duration_cast<std::chrono::seconds>(progress.last_pass_end.time_since_epoch()).count()));
  render_gauge(out, "placement_scrub_last_pass_seconds", "How long the last pass took.", progress.last_pass_seconds);
}

}  // namespace placement::placementd
