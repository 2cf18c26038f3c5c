#pragma once
// A bounded hand-off of batches from one producing thread to one consuming thread. The producer
// fills batches and pushes them; the consumer pops, uses and gives them back, so their vectors keep
// their capacity and are filled again without allocating. At most `ahead` full batches wait: a
// producer faster than its consumer then waits too, and memory stays bounded.
//
// The producer ends with finish(status); the consumer, having popped every batch, reads that
// status. A consumer that gives up calls stop(): the producer's next push returns false.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "services/base/result.h"

namespace placement::ledger {

template <class T> class BatchPipe {
 public:
  using Batch = std::vector<T>;

  explicit BatchPipe(std::size_t ahead) : ahead_(ahead == 0 ? 1 : ahead) {}

  // Producer: an empty batch, one given back if there is one.
  Batch empty_batch() {
    std::lock_guard lock(mutex_);
    if (returned_.empty()) return Batch{};
    Batch batch = std::move(returned_.back());
    returned_.pop_back();
    return batch;
  }

  // Producer: waits while `ahead` batches are waiting; false once the consumer has stopped.
  bool push(Batch batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return stopped_ || full_.size() < ahead_; });
    if (stopped_) return false;
    full_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }

  // Producer: nothing more will be pushed; `status` is what the consumer reads at the end.
  void finish(Status status) {
    std::lock_guard lock(mutex_);
    finished_ = true;
    status_ = std::move(status);
    changed_.notify_all();
  }

  // Consumer: the next batch, in push order; nullopt once the producer has finished and every
  // batch has been popped.
  std::optional<Batch> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return finished_ || !full_.empty(); });
    if (full_.empty()) return std::nullopt;
    Batch batch = std::move(full_.front());
    full_.pop_front();
    changed_.notify_all();
    return batch;
  }

  // Consumer: a used batch, emptied here, to be filled again.
  void give_back(Batch batch) {
    batch.clear();
    std::lock_guard lock(mutex_);
    returned_.push_back(std::move(batch));
  }

  // Consumer: no more batches wanted; a waiting or later push returns false.
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }

  // Consumer, after pop() returned nullopt: what the producer finished with.
  Status status() const {
    std::lock_guard lock(mutex_);
    return status_;
  }

 private:
  const std::size_t ahead_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> full_;
  std::vector<Batch> returned_;
  bool finished_ = false;
  bool stopped_ = false;
  Status status_ = ok();
};

}  // namespace placement::ledger
