#pragma once
// The ledger: the read model (the domain state, replay.h) kept in step with
// the log, and the only way to change it.
//
// Two copies of the model exist. The writer's copy is touched only on the writer thread: each
// command is decided
// against it and its events applied to it at once, so the next command of the same batch sees
// them. The published copy holds only what is durable: it is advanced after each batch is
// written, under a lock readers share. When a batch fails, the writer's copy is reset from the
// published one, so a refused or lost write leaves no trace.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string_view>

#include "placement/v1/envelope.pb.h"
#include "services/base/clock.h"
#include "services/base/result.h"
#include "services/domain/commands.h"
#include "services/domain/state.h"
#include "services/ledger/batch_prerequisite.h"
#include "services/ledger/replay.h"
#include "storage/event_log.h"
#include "storage/group_commit_writer.h"

namespace placement::ledger {

struct CommandOutcome {
  Position first;
  Position last;
  bool duplicate = false;
};

// What the ledger tells of its work (metrics). Called on the writer's threads: implementations
// must be thread-safe, must not block and must not call back into the ledger.
class LedgerObserver {
 public:
  virtual ~LedgerObserver() = default;
  // Every answer, refusals included: the command's type name (domain::command_type_name), the
  // outcome ("ok", "duplicate" or the error code's name) and the time from submission to answer.
  virtual void command_answered(std::string_view type, std::string_view outcome,
                                std::chrono::steady_clock::duration latency) = 0;
  // A batch is durable and published: its events, in log order.
  virtual void batch_published(std::span<const storage::LoggedEvent> events) = 0;
};

class Ledger final : private storage::GroupCommitWriter::BatchObserver {
 public:
  using Done = std::function<void(Result<CommandOutcome>)>;
  using Published = std::function<void(Position head)>;

  // The models the ledger starts from, each then caught up with the log (empty: from the first
  // event). `writer`, when given, must equal `published` (e.g. the same snapshot decoded apart,
  // snapshots.h): both then catch up at once on two threads. Without it the writer's model is a
  // copy of the published one once that has caught up.
  struct Start {
    ReadModel published;
    std::optional<ReadModel> writer;
    // Replay only up to this position instead of the head (a log broken after it, served read-only).
    std::optional<Position> up_to;
  };

  // Replays the log into memory from `start` and starts the writer. observer and prerequisite may
  // be null; each must outlive the ledger.
  static Result<std::unique_ptr<Ledger>> open(storage::EventLog& log, const Clock& clock, Published on_published,
                                              LedgerObserver* observer = nullptr, Start start = {},
                                              BatchPrerequisite* prerequisite = nullptr);
  ~Ledger() override;

  // When the caller stops waiting (a gRPC call's deadline). A command still queued for the writer
  // at its deadline is refused with deadline_exceeded and not decided: under overload the writer
  // then spends its time on calls someone still waits for, and a retry finds nothing half done.
  using Deadline = std::chrono::system_clock::time_point;
  static constexpr Deadline kNoDeadline = Deadline::max();

  // Decides the command on the writer thread and answers once its events are durable (or it is
  // refused). `actor` is recorded on the events; `done` runs on the writer's answering thread,
  // after the published state includes the events (and possibly those of later batches).
  void execute(const v1::Actor& actor, std::string command_id, domain::CommandBody body, Done done,
               Deadline deadline = kNoDeadline);
  Result<CommandOutcome> execute_and_wait(const v1::Actor& actor, std::string command_id, domain::CommandBody body);

  // Runs f on the published state under a shared lock. f must not call back into the ledger.
  template <class F> auto read(F&& f) const {
    std::shared_lock lock(mutex_);
    return f(static_cast<const domain::State&>(published_.state));
  }

  // Runs f on the whole published read model (state and position) under a shared lock.
  template <class F> auto read_model(F&& f) const {
    std::shared_lock lock(mutex_);
    return f(static_cast<const ReadModel&>(published_));
  }

  // The log position the published state reflects.
  Position position() const;

  // From now on every command is refused with `why` (a log found broken: reads go on, writes
  // stop), commands already queued included; nothing more is decided or written. Any thread.
  void refuse_writes(Error why);

  // Finishes every command already submitted, then stops the writer.
  void stop();

 private:
  Ledger(storage::EventLog& log, const Clock& clock, Published on_published, LedgerObserver* observer);
  // Fills both models from start (before the writer exists).
  Status replay(Start start);
  Result<storage::AppendRequest> prepare(const v1::Actor& actor, const std::string& command_id,
                                         const domain::CommandBody& body);

  // The writer's batches (GroupCommitWriter::BatchObserver), on the writer thread.
  void batch_started() override;
  Status before_write() override;
  void committed(std::span<const storage::LoggedEvent> events) override;  // publishes them
  void write_failed() override;                                           // resets the writer's model
  void refused_after_prepare() override;                                  // the same
  void publish(std::span<const storage::LoggedEvent> events);
  void reset_writer_state();
  // A command id answers as a repeat only to the caller who first used it; anyone else reusing it
  // is refused, so a command id can neither hide a command nor reveal another caller's result.
  Status require_same_caller(const v1::Actor& actor, const std::string& command_id, Position first) const;

  storage::EventLog& log_;
  const Clock& clock_;
  Published on_published_;
  LedgerObserver* observer_;

  ReadModel writer_model_;  // writer thread only (its position is not kept)
  BatchPrerequisite* prerequisite_ = nullptr;
  std::uint64_t prerequisite_mark_ = 0;  // writer thread only: what the current batch waits for
  mutable std::shared_mutex mutex_;
  ReadModel published_;
  std::unique_ptr<storage::GroupCommitWriter> writer_;
  mutable std::mutex refusal_mutex_;
  std::optional<Error> refusal_;  // refuse_writes; read by prepare on the writer thread
};

}  // namespace placement::ledger
