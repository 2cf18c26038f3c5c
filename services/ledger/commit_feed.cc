#include "services/ledger/commit_feed.h"

#include <vector>

#include <boost/asio/post.hpp>

namespace placement::ledger {

CommitFeed::CommitFeed(Position head) : head_(head) {}

CommitFeed::~CommitFeed() {
  close();
  pool_.join();
}

void CommitFeed::dispatch(std::function<void()> wake) { boost::asio::post(pool_, std::move(wake)); }

void CommitFeed::publish(Position head) {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard lock(mutex_);
    if (head > head_) head_ = head;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (head_ > it->second.after) {
        ready.push_back(std::move(it->second.wake));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& wake : ready) dispatch(std::move(wake));
}

std::uint64_t CommitFeed::wait_beyond(Position after, std::function<void()> wake) {
  std::unique_lock lock(mutex_);
  const std::uint64_t id = next_id_++;
  if (closed_ || head_ > after) {
    lock.unlock();
    dispatch(std::move(wake));
    return id;
  }
  waiters_.emplace(id, Waiter{after, std::move(wake)});
  return id;
}

void CommitFeed::cancel(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  waiters_.erase(id);
}

void CommitFeed::close() {
  std::vector<std::function<void()>> all;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& [id, waiter] : waiters_) all.push_back(std::move(waiter.wake));
    waiters_.clear();
  }
  for (auto& wake : all) dispatch(std::move(wake));
}

bool CommitFeed::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

Position CommitFeed::head() const {
  std::lock_guard lock(mutex_);
  return head_;
}

}  // namespace placement::ledger
