#include "storage/group_commit_writer.h"

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace placement::storage {
namespace {

AppendRequest request(std::string command_id, std::string stream) {
  AppendRequest r;
  r.command_id = std::move(command_id);
  r.recorded_at = std::chrono::system_clock::now();
  r.streams.push_back(StreamAppend{std::move(stream), ExpectedVersion::any(), {NewEvent{"T", "p"}}});
  return r;
}

TEST(GroupCommitWriter, ConcurrentAppendsAreAllDurableInOneOrderAndShareBatches) {
  testing::TempDir dir;
  auto log = RocksDbEventLog::open(dir.str()).value();
  struct CountCommitted : GroupCommitWriter::BatchObserver {
    std::atomic<std::size_t> events{0};
    void committed(std::span<const LoggedEvent> batch) override { events += batch.size(); }
  } committed;
  GroupCommitWriter writer(*log, &committed);
  constexpr int kThreads = 16, kPerThread = 25;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::uint64_t> positions;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto result =
            writer.append(request("t" + std::to_string(t) + "-" + std::to_string(i), "s" + std::to_string(t)));
        ASSERT_TRUE(result) << result.error().message;
        std::lock_guard lock(mutex);
        positions.insert(result.value().first.value);
      }
    });
  for (auto& t : threads) t.join();
  writer.stop();

  constexpr std::size_t kTotal = kThreads * kPerThread;
  EXPECT_EQ(positions.size(), kTotal);
  EXPECT_EQ(*positions.rbegin(), kTotal);
  EXPECT_EQ(committed.events.load(), kTotal);
  EXPECT_EQ(writer.jobs_written(), kTotal);
  // With 16 callers waiting on fsync, batches must carry more than one job on average.
  EXPECT_LT(writer.batches_written(), kTotal);
  EXPECT_TRUE(log->verify_chain(Position{1}, Position{0}).value().ok);
}

TEST(GroupCommitWriter, PrepareFailureAnswersTheCallerAndWritesNothing) {
  testing::TempDir dir;
  auto log = RocksDbEventLog::open(dir.str()).value();
  GroupCommitWriter writer(*log, nullptr);
  std::promise<Result<AppendResult>> answered;
  writer.submit({"cmd", []() -> Result<AppendRequest> { return fail(Errc::failed_precondition, "no vacant place"); },
                 [&](Result<AppendResult> r) { answered.set_value(std::move(r)); }});
  auto result = answered.get_future().get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::failed_precondition);
  writer.stop();
  EXPECT_EQ(log->head().position.value, 0u);
}

TEST(GroupCommitWriter, RepeatedCommandIdIsNotPreparedTwice) {
  testing::TempDir dir;
  auto log = RocksDbEventLog::open(dir.str()).value();
  GroupCommitWriter writer(*log, nullptr);
  std::atomic<int> prepared{0};
  std::vector<std::future<Result<AppendResult>>> answers;
  for (int i = 0; i < 5; ++i) {
    auto promise = std::make_shared<std::promise<Result<AppendResult>>>();
    answers.push_back(promise->get_future());
    writer.submit({"same",
                   [&]() -> Result<AppendRequest> {
                     ++prepared;
                     return request("same", "s");
                   },
                   [promise](Result<AppendResult> r) { promise->set_value(std::move(r)); }});
  }
  int duplicates = 0;
  for (auto& a : answers) {
    auto r = a.get();
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().first.value, 1u);
    duplicates += r.value().duplicate ? 1 : 0;
  }
  EXPECT_EQ(prepared.load(), 1);
  EXPECT_EQ(duplicates, 4);
  writer.stop();
}

TEST(GroupCommitWriter, FailedPrerequisiteFailsTheBatchAndWritesNothing) {
  testing::TempDir dir;
  auto log = RocksDbEventLog::open(dir.str()).value();
  struct Prerequisite : GroupCommitWriter::BatchObserver {
    std::atomic<int> started{0}, failed_writes{0};
    std::atomic<bool> ok{false};
    void batch_started() override { ++started; }
    Status before_write() override {
      if (ok) return placement::ok();
      return fail(Errc::unavailable, "the key store cannot sync");
    }
    void write_failed() override { ++failed_writes; }
  } observer;
  GroupCommitWriter writer(*log, &observer);
  auto refused = writer.append(request("first", "s"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  EXPECT_EQ(refused.error().message, "the key store cannot sync");
  EXPECT_EQ(log->head().position.value, 0u);
  EXPECT_EQ(observer.failed_writes.load(), 1) << "the prepared effects are undone as for a failed write";

  observer.ok = true;
  auto written = writer.append(request("first", "s"));
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_FALSE(written.value().duplicate) << "the refused command was not recorded";
  EXPECT_EQ(log->head().position.value, 1u);
  EXPECT_EQ(observer.started.load(), 2) << "once per batch";
  writer.stop();
}

TEST(GroupCommitWriter, AnswersComeFromTheAnsweringThreadInSubmissionOrder) {
  testing::TempDir dir;
  auto log = RocksDbEventLog::open(dir.str()).value();
  std::mutex mutex;
  std::set<std::thread::id> preparing_threads, answering_threads;
  std::vector<int> answered;
  {
    GroupCommitWriter writer(*log, nullptr);
    for (int i = 0; i < 50; ++i) {
      writer.submit({"c" + std::to_string(i),
                     [&, i]() -> Result<AppendRequest> {
                       std::lock_guard lock(mutex);
                       preparing_threads.insert(std::this_thread::get_id());
                       return request("c" + std::to_string(i), "s" + std::to_string(i % 3));
                     },
                     [&, i](Result<AppendResult> r) {
                       ASSERT_TRUE(r);
                       std::lock_guard lock(mutex);
                       answering_threads.insert(std::this_thread::get_id());
                       answered.push_back(i);
                     }});
    }
  }  // the destructor finishes and answers every job submitted
  ASSERT_EQ(answered.size(), 50u);
  EXPECT_TRUE(std::is_sorted(answered.begin(), answered.end()));
  ASSERT_EQ(preparing_threads.size(), 1u);
  ASSERT_EQ(answering_threads.size(), 1u);
  EXPECT_NE(*preparing_threads.begin(), *answering_threads.begin()) << "answering must not hold up the writer";
}

// A log that writes only the first request of each call and fails the rest as unavailable, as a
// log that splits a call into several writes does when a later write fails (EtcdEventLog).
class FirstRequestOnlyLog final : public EventLog {
 public:
  explicit FirstRequestOnlyLog(EventLog& inner) : inner_(inner) {}
  AppendBatchOutcome append(std::vector<AppendRequest> requests) override {
    std::vector<AppendRequest> first;
    first.push_back(std::move(requests.front()));
    AppendBatchOutcome outcome = inner_.append(std::move(first));
    for (std::size_t i = 1; i < requests.size(); ++i)
      outcome.results.emplace_back(outcome::failure(Error{Errc::unavailable, "the second write failed"}));
    return outcome;
  }
  Result<std::vector<LoggedEvent>> read_forward(Position from, std::size_t max) const override {
    return inner_.read_forward(from, max);
  }
  Result<std::vector<LoggedEvent>> read_stream(const std::string& stream_id, StreamVersion from,
                                               std::size_t max) const override {
    return inner_.read_stream(stream_id, from, max);
  }
  Result<StreamVersion> stream_version(const std::string& stream_id) const override {
    return inner_.stream_version(stream_id);
  }
  Result<std::optional<AppendResult>> find_command(const std::string& command_id) const override {
    return inner_.find_command(command_id);
  }
  Result<ChainReport> verify_chain(Position from, Position to) const override { return inner_.verify_chain(from, to); }
  Head head() const override { return inner_.head(); }

 private:
  EventLog& inner_;
};

TEST(GroupCommitWriter, APartlyWrittenBatchPublishesWhatIsDurableAndUndoesTheRest) {
  testing::TempDir dir;
  auto rocksdb = RocksDbEventLog::open(dir.str()).value();
  FirstRequestOnlyLog log(*rocksdb);
  struct Observer : GroupCommitWriter::BatchObserver {
    std::atomic<std::size_t> committed_events{0};
    std::atomic<int> undone{0}, failed_writes{0};
    void committed(std::span<const LoggedEvent> batch) override { committed_events += batch.size(); }
    void refused_after_prepare() override { ++undone; }
    void write_failed() override { ++failed_writes; }
  } observer;
  std::vector<Result<AppendResult>> results(3, fail(Errc::internal, "not answered"));
  {
    GroupCommitWriter writer(log, &observer);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> blocking;
    // A first batch holds the writer until the three jobs are queued, so they share the next.
    writer.submit({"blocker",
                   [&blocking, released]() -> Result<AppendRequest> {
                     blocking.set_value();
                     released.wait();
                     return request("blocker", "b");
                   },
                   [](Result<AppendResult> r) { ASSERT_TRUE(r); }});
    blocking.get_future().wait();
    for (int i = 0; i < 3; ++i)
      writer.submit({"c" + std::to_string(i),
                     [i]() -> Result<AppendRequest> { return request("c" + std::to_string(i), "s"); },
                     [&results, i](Result<AppendResult> r) { results[i] = std::move(r); }});
    release.set_value();
  }
  ASSERT_TRUE(results[0]) << results[0].error().message;
  for (int i = 1; i < 3; ++i) {
    ASSERT_FALSE(results[i]);
    EXPECT_EQ(results[i].error().code, Errc::unavailable);
  }
  EXPECT_EQ(observer.committed_events.load(), 2u) << "the blocker and the durable request are published";
  EXPECT_EQ(observer.undone.load(), 1) << "the refused requests' prepared effects are undone";
  EXPECT_EQ(observer.failed_writes.load(), 0);
  EXPECT_EQ(rocksdb->head().position.value, 2u);
}

TEST(GroupCommitWriter, AfterStopJobsAreRefusedAsUnavailable) {
  testing::TempDir dir;
  auto log = RocksDbEventLog::open(dir.str()).value();
  GroupCommitWriter writer(*log, nullptr);
  writer.stop();
  auto result = writer.append(request("late", "s"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::unavailable);
}

}  // namespace
}  // namespace placement::storage
