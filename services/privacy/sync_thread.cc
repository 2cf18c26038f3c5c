#include "services/privacy/sync_thread.h"

#include <algorithm>

namespace placement::privacy {

SyncThread::SyncThread(std::function<Status()> sync) : sync_(std::move(sync)), thread_([this] { run(); }) {}

SyncThread::~SyncThread() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
  }
  thread_.join();
}

void SyncThread::request(std::uint64_t writes) {
  std::lock_guard lock(mutex_);
  ask(writes);
}

Status SyncThread::wait(std::uint64_t writes) {
  std::unique_lock lock(mutex_);
  ask(writes);
  changed_.wait(lock, [&] { return writes <= durable_ || (failure_ && failed_through_ >= writes); });
  if (writes <= durable_) return ok();
  return outcome::failure(*failure_);  // every waiter the failed sync was to cover is told
}

void SyncThread::ask(std::uint64_t writes) {
  if (writes <= durable_) return;
  // A request after a sync failed tries again: the failure answers only those already waiting.
  // (Before, a reported failure was retried at once by itself, and a request made after the disk
  // recovered could be answered with that retry's stale failure.)
  failure_.reset();
  requested_ = std::max(requested_, writes);
  changed_.notify_all();
}

void SyncThread::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // After a failure, sync again only for writes the failed sync did not cover, or on a new
    // request (which cleared the failure).
    changed_.wait(lock,
                  [&] { return stopping_ || (requested_ > durable_ && (!failure_ || requested_ > failed_through_)); });
    if (stopping_) return;
    failure_.reset();                         // waiters still here get this sync's outcome instead
    const std::uint64_t target = requested_;  // every write counted so far is in the log the sync covers
    lock.unlock();
    Status synced = sync_();
    lock.lock();
    if (synced) {
      durable_ = std::max(durable_, target);
    } else {
      failure_ = synced.error();
      failed_through_ = target;
    }
    changed_.notify_all();
  }
}

}  // namespace placement::privacy
