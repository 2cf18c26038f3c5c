#pragma once
// Tells waiting readers (live log followers) that the log's head moved. The writer publishes
// after each durable batch; wake-ups run on the feed's own thread, never on the writer's, so a
// slow follower cannot delay a commit.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include <boost/asio/thread_pool.hpp>

#include "services/base/types.h"

namespace placement::ledger {

class CommitFeed {
 public:
  explicit CommitFeed(Position head);
  ~CommitFeed();

  // Called by the writer after a batch is durable.
  void publish(Position head);

  // Calls wake (once, on the feed's thread) as soon as the head is beyond `after`, or when the
  // feed closes. Returns an id for cancel().
  std::uint64_t wait_beyond(Position after, std::function<void()> wake);
  void cancel(std::uint64_t id);

  // Wakes every waiter; later waits are woken at once. For shutdown.
  void close();
  bool closed() const;
  Position head() const;

 private:
  struct Waiter {
    Position after;
    std::function<void()> wake;
  };
  void dispatch(std::function<void()> wake);

  mutable std::mutex mutex_;
  Position head_;
  bool closed_ = false;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Waiter> waiters_;
  boost::asio::thread_pool pool_{1};
};

}  // namespace placement::ledger
