// services/privacy/sync_thread.cc: syncs run on their own thread, cover every write counted
// before them, and report a failure to every waiter that needed them; the next request retries.

#include "services/privacy/sync_thread.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace placement::privacy {
namespace {

TEST(SyncThread, WaitReturnsOnceASyncCoveringTheWritesHasRun) {
  std::atomic<int> syncs{0};
  SyncThread thread([&]() -> Status {
    ++syncs;
    return ok();
  });
  EXPECT_TRUE(thread.wait(0)) << "nothing to make durable";
  EXPECT_EQ(syncs.load(), 0);
  ASSERT_TRUE(thread.wait(3));
  EXPECT_EQ(syncs.load(), 1);
  EXPECT_TRUE(thread.wait(2)) << "covered by the sync for 3";
  EXPECT_EQ(syncs.load(), 1);
}

TEST(SyncThread, ConcurrentRequestsShareSyncs) {
  std::atomic<int> syncs{0};
  SyncThread thread([&]() -> Status {
    ++syncs;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a slow disk
    return ok();
  });
  std::vector<std::thread> writers;
  for (std::uint64_t w = 1; w <= 40; ++w) {
    writers.emplace_back([&, w] { EXPECT_TRUE(thread.wait(w)); });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_LT(syncs.load(), 40) << "each waiter got its own sync";
  EXPECT_GE(syncs.load(), 1);
}

TEST(SyncThread, AFailedSyncIsReportedToItsWaiterAndTheNextWaitTriesAgain) {
  std::atomic<int> syncs{0};
  std::atomic<bool> disk_ok{false};
  SyncThread thread([&]() -> Status {
    ++syncs;
    if (disk_ok) return ok();
    return fail(Errc::unavailable, "no space left on device");
  });
  auto failed = thread.wait(5);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::unavailable);
  EXPECT_EQ(failed.error().message, "no space left on device");

  disk_ok = true;
  EXPECT_TRUE(thread.wait(5)) << "retried, not the old failure again";
  EXPECT_EQ(syncs.load(), 2) << "no retry of its own between the failure and the next wait";
}

TEST(SyncThread, EveryWaiterTheFailedSyncWasToCoverIsTold) {
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<int> syncs{0};
  SyncThread thread([&]() -> Status {
    ++syncs;
    released.wait();
    return fail(Errc::unavailable, "I/O error");
  });
  thread.request(4);
  while (syncs.load() == 0) std::this_thread::yield();  // the sync for 4 is under way
  std::vector<std::future<Status>> waiters;
  for (std::uint64_t writes : {1, 2, 3})
    waiters.push_back(std::async(std::launch::async, [&thread, writes] { return thread.wait(writes); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let them reach their wait
  release.set_value();
  for (auto& waiter : waiters) {
    auto told = waiter.get();
    ASSERT_FALSE(told);
    EXPECT_EQ(told.error().message, "I/O error");
  }
  EXPECT_EQ(syncs.load(), 1) << "one failed sync told them all, with no retry nobody asked for";
}

}  // namespace
}  // namespace placement::privacy
