#pragma once
// The single writer in front of an EventLog. Callers on any thread submit jobs; one thread
// takes whatever jobs are waiting, lets each prepare its append in submission order, writes them
// all as one synced batch (group commit), then hands the batch's answers to a second thread and
// goes on with the next batch. Throughput grows with the number of callers waiting, while each
// write stays durable before it is acknowledged.
//
// Answering runs apart from writing because it is the callers' work (building a response and
// sending it costs as much as deciding the command): on the writer thread it would hold up the
// next batch, which is the one serial path of the whole service.

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <span>
#include <thread>

#include "storage/event_log.h"

namespace placement::storage {

class GroupCommitWriter {
 public:
  struct Job {
    std::string command_id;
    // Runs on the writer thread, in submission order, after earlier jobs of the same batch
    // prepared (so decisions see the effects of the ones before). A failure answers the caller
    // and writes nothing.
    std::function<Result<AppendRequest>()> prepare;
    // Runs on the answering thread once the outcome is known: after the batch is durable (and
    // BatchObserver::committed has run) for a success. Jobs are answered in submission order, one batch
    // after another. Must not block.
    std::function<void(Result<AppendResult>)> done;
  };

  // What the writer's owner does around each batch, called on the writer thread: the owner keeps
  // whatever its jobs prepare against (services/ledger's Ledger, which decides commands against its
  // writer model, implements it). Each member has a default that does nothing.
  class BatchObserver {
   public:
    virtual ~BatchObserver() = default;
    // When the writer takes a batch, before preparing it: every job in it was submitted by now, so
    // whatever they depend on outside the log can start becoming durable (before_write waits).
    virtual void batch_started() {}
    // After a batch is prepared and before it is written: makes durable whatever its events depend
    // on outside the log (the citizen key store), once per batch. A failure fails the batch as a
    // failed write does.
    virtual Status before_write() { return ok(); }
    // After a batch is durable and before any caller is answered: publish to readers.
    virtual void committed(std::span<const LoggedEvent>) {}
    // After a batch failed to write: the prepared effects of its jobs must be undone.
    virtual void write_failed() {}
    // After a request that prepared was refused by the log (e.g. a stale stream version): its
    // prepared effects must be undone as well.
    virtual void refused_after_prepare() {}
  };

  // observer may be null; it must outlive the writer.
  GroupCommitWriter(EventLog& log, BatchObserver* observer, std::size_t max_batch = 512);
  ~GroupCommitWriter();  // stops, finishing every job already submitted
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Queues a job. After stop(), jobs are answered at once with Errc::unavailable.
  void submit(Job job);

  // Convenience for callers without domain logic: appends one request and waits.
  Result<AppendResult> append(AppendRequest request);

  // Finishes and answers every job already submitted, then stops both threads. Idempotent.
  void stop();

  // Number of batches written and jobs they carried, for metrics and benchmarks.
  std::uint64_t batches_written() const;
  std::uint64_t jobs_written() const;

 private:
  using Answers = std::vector<std::pair<std::function<void(Result<AppendResult>)>, Result<AppendResult>>>;

  void run();
  void write_batch(std::deque<Job>& jobs);
  void post_answers(Answers answers);
  void answer();  // the answering thread

  EventLog& log_;
  BatchObserver no_observer_;
  BatchObserver& observer_;
  const std::size_t max_batch_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::uint64_t batches_ = 0;
  std::uint64_t jobs_ = 0;

  std::mutex answers_mutex_;
  std::condition_variable answers_ready_;
  std::deque<Answers> answers_;
  bool writer_done_ = false;  // no more answers will be posted

  std::thread answer_thread_;  // started before thread_, stopped after it
  std::thread thread_;
};

}  // namespace placement::storage
