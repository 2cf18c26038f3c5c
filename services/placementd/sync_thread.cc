#include "services/placementd/sync_thread.h"

#include <algorithm>

namespace placement::placementd {

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
  Error error = *failure_;
  failure_.reset();  // reported once; the next request tries again
  return outcome::failure(std::move(error));
}

void SyncThread::ask(std::uint64_t writes) {
  if (writes <= durable_) return;
  // A failed sync that did not cover these writes must not stop them from being tried; one that
  // did stays until its waiter has seen it.
  if (failure_ && failed_through_ < writes) failure_.reset();
  requested_ = std::max(requested_, writes);
  changed_.notify_all();
}

void SyncThread::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || (requested_ > durable_ && !failure_); });
    if (stopping_) return;
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

}  // namespace placement::placementd
