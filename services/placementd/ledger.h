#pragma once
// The ledger: the domain state kept in step with the log, and the only way to change it.
//
// Two copies of the state exist. The writer's copy is touched only on the writer thread: each
// command is decided against it and its events applied to it at once, so the next command of
// the same batch sees them. The published copy holds only what is durable: it is advanced after
// each batch is written, under a lock readers share. When a batch fails, the writer's copy is
// reset from the published one, so a refused or lost write leaves no trace.

#include <functional>
#include <memory>
#include <shared_mutex>

#include "placement/v1/envelope.pb.h"
#include "services/base/clock.h"
#include "services/base/result.h"
#include "services/domain/commands.h"
#include "services/domain/state.h"
#include "storage/event_log.h"
#include "storage/group_commit_writer.h"

namespace placement::placementd {

struct Metrics;

struct CommandOutcome {
  Position first;
  Position last;
  bool duplicate = false;
};

class Ledger {
 public:
  using Done = std::function<void(Result<CommandOutcome>)>;
  using Published = std::function<void(Position head)>;

  // Replays the whole log into memory and starts the writer.
  // metrics may be null.
  static Result<std::unique_ptr<Ledger>> open(storage::EventLog& log, const Clock& clock, Published on_published,
                                              Metrics* metrics = nullptr);
  ~Ledger();

  // Decides the command on the writer thread and answers once its events are durable (or it is
  // refused). `actor` is recorded on the events; `done` runs on the writer thread, after the
  // published state includes the events.
  void execute(const v1::Actor& actor, std::string command_id, domain::CommandBody body, Done done);
  Result<CommandOutcome> execute_and_wait(const v1::Actor& actor, std::string command_id, domain::CommandBody body);

  // Runs f on the published state under a shared lock. f must not call back into the ledger.
  template <class F>
  auto read(F&& f) const {
    std::shared_lock lock(mutex_);
    return f(static_cast<const domain::State&>(published_));
  }

  // The log position the published state reflects.
  Position position() const;

  // Finishes every command already submitted, then stops the writer.
  void stop();

 private:
  Ledger(storage::EventLog& log, const Clock& clock, Published on_published, Metrics* metrics);
  Status replay();
  Result<storage::AppendRequest> prepare(const v1::Actor& actor, const std::string& command_id,
                                         const domain::CommandBody& body);
  void publish(std::span<const storage::LoggedEvent> events);
  void reset_writer_state();

  storage::EventLog& log_;
  const Clock& clock_;
  Published on_published_;
  Metrics* metrics_;

  domain::State writer_state_;  // writer thread only
  mutable std::shared_mutex mutex_;
  domain::State published_;
  Position position_{0};
  std::unique_ptr<storage::GroupCommitWriter> writer_;
};

}  // namespace placement::placementd
