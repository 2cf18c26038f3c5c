#pragma once
// Runs a store's sync (fsync of its write-ahead log) on a thread of its own, so a caller can start
// making its writes durable, do other work while the disk syncs, and wait only for what is left.
// One sync covers every write counted before it started, so concurrent requests share syncs.
//
// Writes are counted by the store (1, 2, 3, … in the order they returned); "through n" means
// the first n writes. Thread-safe.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "services/base/result.h"

namespace placement::privacy {

class SyncThread {
 public:
  explicit SyncThread(std::function<Status()> sync);
  ~SyncThread();  // finishes the sync under way, if any
  SyncThread(const SyncThread&) = delete;
  SyncThread& operator=(const SyncThread&) = delete;

  // Asks for the writes through `writes` to become durable; returns at once.
  void request(std::uint64_t writes);

  // Blocks until the writes through `writes` are durable (asking for it if nobody has). Errors:
  // the failure of the sync that was to cover them, told to every caller waiting for it; the next
  // request or wait tries again.
  Status wait(std::uint64_t writes);

 private:
  void ask(std::uint64_t writes);  // callers hold mutex_
  void run();

  std::function<Status()> sync_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t requested_ = 0;   // writes some caller needs durable
  std::uint64_t durable_ = 0;     // writes known durable
  std::optional<Error> failure_;  // of the last sync, until a request asks again or a sync starts
  std::uint64_t failed_through_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace placement::privacy
