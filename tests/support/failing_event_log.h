#pragma once
// An EventLog for tests that forwards every call to a real one and can be told to fail writes:
// the next N appends fail with a chosen error and write nothing, as a full or read-only disk
// makes a real log fail (storage/event_log.h: "If the write itself fails, every request of the
// call fails with Errc::unavailable and nothing is written"). It can also hold appends at their
// entry, so a test can queue commands while the writer waits and have them decided as one batch.
//
// It offers no "written, then reported as failed" switch: the contract promises that a failed
// append wrote nothing, and the ledger relies on it (it resets its writer's model from the
// published one, which would then lag the log). An answer lost after a successful write is the
// caller's side of the wire; a retry with the same command id covers it (find_command).
//
// Thread-safety: the switches are atomics, flipped by the test thread while the ledger's writer
// thread appends; the other calls forward unchanged and are as thread-safe as the wrapped log's.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/base/result.h"
#include "storage/event_log.h"

namespace placement::testing {

class FailingEventLog final : public storage::EventLog {
 public:
  // `inner` must outlive this object.
  explicit FailingEventLog(storage::EventLog& inner) : inner_(inner) {}

  // The next `count` appends fail with `code` for every request of the call and write nothing.
  // The contract's code for a failed write is Errc::unavailable; another code checks how the
  // writer copes with a log that answers otherwise.
  void fail_next_appends(std::uint64_t count, Errc code = Errc::unavailable) {
    failure_code_.store(code);
    failures_left_.store(count);
  }
  std::uint64_t failures_left() const { return failures_left_.load(); }

  // While held, append waits at its entry until released. A held append has already taken its
  // failure, if one was planned: failures planned while it waits apply to the appends after it.
  void hold_appends() { held_.store(true); }
  void release_appends() {
    held_.store(false);
    held_.notify_all();
  }
  // Waits until at least `count` appends have been entered since construction (a held append
  // counts once it waits).
  void wait_for_appends_entered(std::uint64_t count) const {
    for (std::uint64_t seen = appends_entered_.load(); seen < count; seen = appends_entered_.load())
      appends_entered_.wait(seen);
  }

  std::uint64_t appends_entered() const { return appends_entered_.load(); }
  std::uint64_t appends_failed() const { return appends_failed_.load(); }

  storage::AppendBatchOutcome append(std::vector<storage::AppendRequest> requests) override {
    const bool failing = take_failure();
    appends_entered_.fetch_add(1);
    appends_entered_.notify_all();
    held_.wait(true);
    if (failing) {
      const Errc code = failure_code_.load();
      storage::AppendBatchOutcome outcome;
      for (std::size_t i = 0; i < requests.size(); ++i)
        outcome.results.push_back(fail(code, "injected write failure (disk full); nothing was written"));
      appends_failed_.fetch_add(1);
      return outcome;
    }
    return inner_.append(std::move(requests));
  }

  Result<std::vector<storage::LoggedEvent>> read_forward(Position from, std::size_t max) const override {
    return inner_.read_forward(from, max);
  }
  Status visit_forward(Position from, Position up_to, const storage::StoredEventVisitor& visit) const override {
    return inner_.visit_forward(from, up_to, visit);
  }
  Result<std::vector<storage::LoggedEvent>> read_stream(const std::string& stream_id, StreamVersion from,
                                                        std::size_t max) const override {
    return inner_.read_stream(stream_id, from, max);
  }
  Result<StreamVersion> stream_version(const std::string& stream_id) const override {
    return inner_.stream_version(stream_id);
  }
  Result<std::optional<storage::AppendResult>> find_command(const std::string& command_id) const override {
    return inner_.find_command(command_id);
  }
  Result<storage::ChainReport> verify_chain(Position from, Position to) const override {
    return inner_.verify_chain(from, to);
  }
  storage::Head head() const override { return inner_.head(); }

 private:
  // Consumes one planned failure, if any is left.
  bool take_failure() {
    std::uint64_t left = failures_left_.load();
    while (left > 0 && !failures_left_.compare_exchange_weak(left, left - 1)) {
    }
    return left > 0;
  }

  storage::EventLog& inner_;
  std::atomic<std::uint64_t> failures_left_{0};
  std::atomic<Errc> failure_code_{Errc::unavailable};
  std::atomic<bool> held_{false};
  std::atomic<std::uint64_t> appends_entered_{0};
  std::atomic<std::uint64_t> appends_failed_{0};
};

}  // namespace placement::testing
