#pragma once
// The background scrub: the whole hash chain recomputed, first event to head, then every table
// file's block checksums read from the file, pass after pass, at a bounded rate so that it never
// competes with the writer for the disk. Its progress and last result are read by /metrics; a
// break it finds is handed to its owner (the server then refuses writes, as at start).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "services/base/result.h"
#include "storage/integrity_check.h"

namespace placement::storage {

class RocksDbEventLog;

// Keeps work at or below `per_second` units a second, measured from its construction: after
// each piece of work, sleeps until the budget has caught up with what was done. 0: unbounded.
// One thread; the sleep is given so that a stopping owner can cut it short.
class RatePacer {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  using Sleep = std::function<void(Clock::duration)>;

  RatePacer(std::uint64_t per_second, Now now, Sleep sleep);
  void done(std::uint64_t units);

 private:
  std::uint64_t per_second_;
  Now now_;
  Sleep sleep_;
  Clock::time_point started_;
  std::uint64_t units_ = 0;
};

struct ScrubOptions {
  std::uint64_t events_per_second = 20'000;      // the chain; 0: unbounded
  std::uint64_t bytes_per_second = 16ull << 20;  // the table files' checksums; 0: unbounded
  std::chrono::seconds pause{3600};              // between the end of a pass and the next
  std::uint64_t chunk_events = 1000;             // events per verify_chain call
};

// What the scrub has done; a copy, read from any thread.
struct ScrubProgress {
  std::uint64_t passes = 0;               // passes finished (clean or not)
  std::uint64_t pass_events_checked = 0;  // in the running (or last) pass
  std::uint64_t pass_events_total = 0;    // the head when that pass began
  std::uint64_t pass_files_checked = 0;
  std::uint64_t pass_bytes_checked = 0;
  std::uint64_t pass_files_total = 0;
  // "none" before the first pass ends, then "ok", "broken" or "error" (it could not read).
  std::string last_result = "none";
  std::string last_problem;  // of the last pass that was not ok
  std::chrono::system_clock::time_point last_pass_end{};
  double last_pass_seconds = 0;
};

class ChainScrub {
 public:
  using OnBreak = std::function<void(const IntegrityBreak&)>;

  // `on_break` runs on the scrub's thread (or run_pass's caller) once per pass that finds one.
  ChainScrub(RocksDbEventLog& log, ScrubOptions options, OnBreak on_break);
  ~ChainScrub();  // stop()
  ChainScrub(const ChainScrub&) = delete;
  ChainScrub& operator=(const ChainScrub&) = delete;

  // Passes on a thread of its own ("log-scrub"), the first at once. Stops after a pass that found
  // a break: there is nothing more to learn until an operator acted.
  void start();
  // Cuts a pass (or the pause) short and joins the thread. Idempotent.
  void stop();

  // One whole pass on the calling thread, paced like the background ones: the break it found,
  // nullopt when the log and its table files verified. An error when the log could not be read
  // (a pass stopped short by stop() also ends this way). A clean pass moves the verified mark to
  // the head it checked up to, when that is further.
  Result<std::optional<IntegrityBreak>> run_pass();

  ScrubProgress progress() const;

 private:
  Result<std::optional<IntegrityBreak>> scrub_chain(RatePacer& pacer);
  Result<std::optional<IntegrityBreak>> scrub_table_files(RatePacer& pacer);
  void sleep_unless_stopping(std::chrono::steady_clock::duration how_long);
  void finish_pass(const Result<std::optional<IntegrityBreak>>& found, std::chrono::steady_clock::time_point began);
  void run();

  RocksDbEventLog& log_;
  const ScrubOptions options_;
  OnBreak on_break_;

  mutable std::mutex mutex_;  // guards progress_ and stopping_
  std::condition_variable wake_;
  ScrubProgress progress_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace placement::storage
