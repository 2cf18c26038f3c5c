// BatchPipe: batches arrive in order, the producer waits while `ahead` batches wait, a consumer
// that stops releases a waiting producer, and the producer's final status reaches the consumer.

#include "services/ledger/batch_pipe.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace placement::ledger {
namespace {

using namespace std::chrono_literals;

TEST(BatchPipe, DeliversEveryBatchInOrderAndThenTheProducersStatus) {
  BatchPipe<int> pipe(2);
  std::thread producer([&pipe] {
    for (int b = 0; b < 50; ++b) {
      auto batch = pipe.empty_batch();
      for (int i = 0; i < 10; ++i) batch.push_back(b * 10 + i);
      ASSERT_TRUE(pipe.push(std::move(batch)));
    }
    pipe.finish(fail(Errc::data_loss, "position 501 is unreadable"));
  });
  std::vector<int> seen;
  while (auto batch = pipe.pop()) {
    seen.insert(seen.end(), batch->begin(), batch->end());
    pipe.give_back(std::move(*batch));
  }
  producer.join();
  ASSERT_EQ(seen.size(), 500u);
  for (int i = 0; i < 500; ++i) ASSERT_EQ(seen[static_cast<std::size_t>(i)], i);
  const Status status = pipe.status();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "position 501 is unreadable");
}

TEST(BatchPipe, ABatchGivenBackIsHandedOutAgainEmptyWithItsCapacity) {
  BatchPipe<int> pipe(1);
  auto batch = pipe.empty_batch();
  batch.reserve(1024);
  batch.push_back(7);
  ASSERT_TRUE(pipe.push(std::move(batch)));
  auto popped = pipe.pop();
  ASSERT_TRUE(popped);
  pipe.give_back(std::move(*popped));
  const auto again = pipe.empty_batch();
  EXPECT_TRUE(again.empty());
  EXPECT_GE(again.capacity(), 1024u);
}

TEST(BatchPipe, TheProducerWaitsWhileAheadBatchesWait) {
  BatchPipe<int> pipe(2);
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int b = 0; b < 3; ++b) {
      if (!pipe.push({b})) return;
      ++pushed;
    }
    pipe.finish(ok());
  });
  // Two go in; the third waits for the consumer.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (pushed < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(pushed.load(), 2);
  ASSERT_TRUE(pipe.pop());
  int batches = 1;
  while (pipe.pop()) ++batches;
  producer.join();
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(pushed.load(), 3);
  EXPECT_TRUE(pipe.status());
}

TEST(BatchPipe, AConsumerThatStopsReleasesAWaitingProducer) {
  BatchPipe<int> pipe(1);
  std::atomic<bool> refused{false};
  std::thread producer([&] {
    ASSERT_TRUE(pipe.push({1}));
    refused = !pipe.push({2});  // waits: one batch is already waiting
    pipe.finish(ok());
  });
  std::this_thread::sleep_for(20ms);
  pipe.stop();
  producer.join();
  EXPECT_TRUE(refused.load());
}

}  // namespace
}  // namespace placement::ledger
