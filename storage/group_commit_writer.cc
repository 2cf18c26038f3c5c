#include "storage/group_commit_writer.h"

#include <pthread.h>

#include <unordered_set>

namespace placement::storage {
namespace {

// Names the calling thread as top, perf and gdb show it (at most 15 characters).
void name_this_thread(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace

GroupCommitWriter::GroupCommitWriter(EventLog& log, BatchObserver* observer, std::size_t max_batch)
    : log_(log),
      observer_(observer ? *observer : no_observer_),
      max_batch_(max_batch),
      answer_thread_([this] { answer(); }),
      thread_([this] { run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { stop(); }

void GroupCommitWriter::submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  job.done(fail(Errc::unavailable, "the server is shutting down; the command was not recorded"));
}

Result<AppendResult> GroupCommitWriter::append(AppendRequest request) {
  auto promise = std::make_shared<std::promise<Result<AppendResult>>>();
  auto future = promise->get_future();
  std::string command_id = request.command_id;
  auto shared_request = std::make_shared<AppendRequest>(std::move(request));
  submit(Job{std::move(command_id), [shared_request]() -> Result<AppendRequest> { return std::move(*shared_request); },
             [promise](Result<AppendResult> result) { promise->set_value(std::move(result)); }});
  return future.get();
}

void GroupCommitWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  // The writer has posted its last answers; the answering thread finishes them, then ends.
  {
    std::lock_guard lock(answers_mutex_);
    writer_done_ = true;
    answers_ready_.notify_one();
  }
  if (answer_thread_.joinable() && answer_thread_.get_id() != std::this_thread::get_id()) answer_thread_.join();
}

std::uint64_t GroupCommitWriter::batches_written() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

std::uint64_t GroupCommitWriter::jobs_written() const {
  std::lock_guard lock(mutex_);
  return jobs_;
}

void GroupCommitWriter::run() {
  name_this_thread("ledger-writer");
  std::deque<Job> jobs;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty() || !jobs.empty(); });
      if (queue_.empty() && jobs.empty() && stopping_) return;
      while (!queue_.empty() && jobs.size() < max_batch_) {
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    write_batch(jobs);  // leaves in `jobs` only what must wait for the next batch
  }
}

void GroupCommitWriter::write_batch(std::deque<Job>& jobs) {
  std::vector<AppendRequest> requests;
  std::vector<Job> prepared;
  std::deque<Job> deferred;
  std::unordered_set<std::string> ids_in_batch;
  Answers answers;  // every job of this batch, answered together once the batch is decided
  observer_.batch_started();

  for (auto& job : jobs) {
    // A command id already in this batch waits for the next one, where it is answered as the
    // repeat it is, without preparing (deciding) twice.
    if (!job.command_id.empty() && ids_in_batch.contains(job.command_id)) {
      deferred.push_back(std::move(job));
      continue;
    }
    if (!job.command_id.empty()) {
      auto seen = log_.find_command(job.command_id);
      if (!seen) {
        answers.emplace_back(std::move(job.done), outcome::failure(seen.error()));
        continue;
      }
      if (seen.value()) {
        AppendResult repeat = *seen.value();
        repeat.duplicate = true;
        answers.emplace_back(std::move(job.done), repeat);
        continue;
      }
      ids_in_batch.insert(job.command_id);
    }
    auto request = job.prepare();
    if (!request) {
      answers.emplace_back(std::move(job.done), outcome::failure(request.error()));
      continue;
    }
    requests.push_back(std::move(request).value());
    prepared.push_back(std::move(job));
  }
  jobs = std::move(deferred);
  if (prepared.empty()) return post_answers(std::move(answers));

  if (auto ready = observer_.before_write(); !ready) {
    observer_.write_failed();
    for (auto& job : prepared) answers.emplace_back(std::move(job.done), outcome::failure(ready.error()));
    return post_answers(std::move(answers));
  }

  AppendBatchOutcome outcome_of_batch = log_.append(std::move(requests));
  bool any_written = !outcome_of_batch.written.empty();
  bool refused_after_prepare = false;
  // Any request refused while others were written (a stale version, or a later transaction of
  // a log that splits a call, EtcdEventLog) leaves prepared effects that must be undone.
  for (const auto& result : outcome_of_batch.results)
    if (!result) refused_after_prepare = true;

  if (!any_written) {
    observer_.write_failed();
  } else {
    observer_.committed(outcome_of_batch.written);
    if (refused_after_prepare) observer_.refused_after_prepare();
  }
  {
    std::lock_guard lock(mutex_);
    if (any_written) ++batches_;
    for (const auto& result : outcome_of_batch.results)
      if (result && !result.value().duplicate) ++jobs_;
  }
  for (std::size_t i = 0; i < prepared.size(); ++i)
    answers.emplace_back(std::move(prepared[i].done), std::move(outcome_of_batch.results[i]));
  post_answers(std::move(answers));
}

void GroupCommitWriter::post_answers(Answers answers) {
  if (answers.empty()) return;
  std::lock_guard lock(answers_mutex_);
  answers_.push_back(std::move(answers));
  answers_ready_.notify_one();
}

void GroupCommitWriter::answer() {
  name_this_thread("ledger-answer");
  for (;;) {
    Answers batch;
    {
      std::unique_lock lock(answers_mutex_);
      answers_ready_.wait(lock, [&] { return writer_done_ || !answers_.empty(); });
      if (answers_.empty()) return;  // writer_done_, and nothing left
      batch = std::move(answers_.front());
      answers_.pop_front();
    }
    for (auto& [done, result] : batch) done(std::move(result));
  }
}

}  // namespace placement::storage
