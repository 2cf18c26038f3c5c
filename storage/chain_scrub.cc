#include "storage/chain_scrub.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "storage/keys.h"
#include "storage/rocksdb_event_log.h"

namespace placement::storage {

RatePacer::RatePacer(std::uint64_t per_second, Now now, Sleep sleep)
    : per_second_(per_second), now_(std::move(now)), sleep_(std::move(sleep)), started_(now_()) {}

void RatePacer::done(std::uint64_t units) {
  units_ += units;
  if (per_second_ == 0) return;
  const auto allowed_at = started_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                         static_cast<double>(units_) / static_cast<double>(per_second_)));
  const auto now = now_();
  if (allowed_at > now) sleep_(allowed_at - now);
}

ChainScrub::ChainScrub(RocksDbEventLog& log, ScrubOptions options, OnBreak on_break)
    : log_(log), options_(options), on_break_(std::move(on_break)) {}

ChainScrub::~ChainScrub() { stop(); }

void ChainScrub::start() {
  thread_ = std::thread([this] { run(); });
}

void ChainScrub::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

ScrubProgress ChainScrub::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

void ChainScrub::sleep_unless_stopping(std::chrono::steady_clock::duration how_long) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, how_long, [this] { return stopping_; });
}

Result<std::optional<IntegrityBreak>> ChainScrub::scrub_chain(RatePacer& pacer) {
  const Head head = log_.head();
  {
    std::lock_guard lock(mutex_);
    progress_.pass_events_checked = 0;
    progress_.pass_events_total = head.position.value;
  }
  const std::uint64_t chunk = std::max<std::uint64_t>(options_.chunk_events, 1);
  for (std::uint64_t from = 1; from <= head.position.value; from += chunk) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return fail(Errc::unavailable, "the scrub was stopped");
    }
    const std::uint64_t to = std::min(head.position.value, from + chunk - 1);
    PLACEMENT_TRY(report, log_.verify_chain(Position{from}, Position{to}));
    if (!report.ok) return std::optional<IntegrityBreak>(IntegrityBreak{report.first_bad, report.problem});
    {
      std::lock_guard lock(mutex_);
      progress_.pass_events_checked += report.checked;
    }
    pacer.done(report.checked);
  }
  if (head.position.value > 0) {
    // The chain holds from the first event up to this head: the next start need not recompute it.
    PLACEMENT_TRY(mark, log_.verified_mark());
    if (!mark || mark->position < head.position) {
      PLACEMENT_TRY(log_.put_verified_mark(head));
    }
  }
  return std::optional<IntegrityBreak>();
}

namespace {

// The first and last positions of an events table file, for the report ("positions 1..250").
std::string positions_of(const RocksDbEventLog::TableFile& file) {
  const auto first = decode_u64(file.smallest_key);
  const auto last = decode_u64(file.largest_key);
  if (file.family != "events" || !first || !last) return "";
  return ", positions " + std::to_string(*first) + ".." + std::to_string(*last);
}

}  // namespace

Result<std::optional<IntegrityBreak>> ChainScrub::scrub_table_files(RatePacer& pacer) {
  PLACEMENT_TRY(files, log_.table_files());
  {
    std::lock_guard lock(mutex_);
    progress_.pass_files_checked = 0;
    progress_.pass_bytes_checked = 0;
    progress_.pass_files_total = files.size();
  }
  for (const auto& file : files) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return fail(Errc::unavailable, "the scrub was stopped");
    }
    if (auto verified = log_.verify_table_file(file); !verified) {
      if (verified.error().code != Errc::data_loss) return outcome::failure(verified.error());
      const auto first = file.family == "events" ? decode_u64(file.smallest_key) : std::nullopt;
      return std::optional<IntegrityBreak>(
          IntegrityBreak{Position{first.value_or(0)}, verified.error().message + positions_of(file)});
    }
    {
      std::lock_guard lock(mutex_);
      ++progress_.pass_files_checked;
      progress_.pass_bytes_checked += file.bytes;
    }
    pacer.done(file.bytes);
  }
  return std::optional<IntegrityBreak>();
}

Result<std::optional<IntegrityBreak>> ChainScrub::run_pass() {
  const auto began = std::chrono::steady_clock::now();
  const auto now = [] { return std::chrono::steady_clock::now(); };
  const auto sleep = [this](std::chrono::steady_clock::duration d) { sleep_unless_stopping(d); };
  RatePacer events(options_.events_per_second, now, sleep);
  auto found = scrub_chain(events);
  if (found && !found.value()) {
    RatePacer bytes(options_.bytes_per_second, now, sleep);
    found = scrub_table_files(bytes);
  }
  finish_pass(found, began);
  if (found && found.value() && on_break_) on_break_(*found.value());
  return found;
}

void ChainScrub::finish_pass(const Result<std::optional<IntegrityBreak>>& found,
                             std::chrono::steady_clock::time_point began) {
  std::lock_guard lock(mutex_);
  ++progress_.passes;
  progress_.last_pass_end = std::chrono::system_clock::now();
  progress_.last_pass_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  if (!found) {
    progress_.last_result = "error";
    progress_.last_problem = found.error().message;
  } else if (found.value()) {
    progress_.last_result = "broken";
    progress_.last_problem = found.value()->describe();
  } else {
    progress_.last_result = "ok";
    progress_.last_problem.clear();
  }
}

void ChainScrub::run() {
  for (;;) {
    auto found = run_pass();
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (!found) {
      spdlog::warn("the log's scrub could not finish a pass: {}", found.error().message);
    } else if (found.value()) {
      return;  // reported through on_break; nothing more to learn until an operator acted
    } else {
      const auto progress = this->progress();
      spdlog::info("the log's scrub verified {} events and {} table files ({} MiB) in {:.1f} s",
                   progress.pass_events_checked, progress.pass_files_checked, progress.pass_bytes_checked >> 20,
                   progress.last_pass_seconds);
    }
    sleep_unless_stopping(options_.pause);
    std::lock_guard lock(mutex_);
    if (stopping_) return;
  }
}

}  // namespace placement::storage
