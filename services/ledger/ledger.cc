#include "services/ledger/ledger.h"

#include <algorithm>
#include <future>

#include <spdlog/spdlog.h>

#include "services/base/log_context.h"
#include "services/codec/event_codec.h"
#include "services/domain/apply.h"
#include "services/domain/decide.h"
#include "services/domain/events.h"
#include "services/ledger/copenhagen_time.h"

namespace placement::ledger {
namespace {

domain::Role domain_role(v1::Role role) {
  switch (role) {
    case v1::ROLE_PLANNER: return domain::Role::planner;
    case v1::ROLE_AUDITOR: return domain::Role::auditor;
    case v1::ROLE_CASEWORKER: return domain::Role::caseworker;
    case v1::ROLE_OPERATOR: return domain::Role::offer_operator;
    case v1::ROLE_FINANCE: return domain::Role::finance;
    default: return domain::Role::admin;  // admins and the server itself
  }
}

}  // namespace

Ledger::Ledger(storage::EventLog& log, const Clock& clock, Published on_published, LedgerObserver* observer)
    : log_(log), clock_(clock), on_published_(std::move(on_published)), observer_(observer) {}

Ledger::~Ledger() { stop(); }

Result<std::unique_ptr<Ledger>> Ledger::open(storage::EventLog& log, const Clock& clock, Published on_published,
                                             LedgerObserver* observer, Start start, BatchPrerequisite* prerequisite) {
  std::unique_ptr<Ledger> ledger(new Ledger(log, clock, std::move(on_published), observer));
  PLACEMENT_TRY(ledger->replay(std::move(start)));
  ledger->prerequisite_ = prerequisite;
  storage::GroupCommitWriter::BatchObserver* batches = ledger.get();
  ledger->writer_ = std::make_unique<storage::GroupCommitWriter>(log, batches);
  return ledger;
}

Status Ledger::replay(Start start) {
  // Nothing else writes before the writer starts.
  const Position head = start.up_to ? std::min(*start.up_to, log_.head().position) : log_.head().position;
  if (start.published.position > head)
    return fail(Errc::data_loss, "the starting model is of position " + std::to_string(start.published.position.value) +
                                     ", beyond the log's head " + std::to_string(head.value));
  published_ = std::move(start.published);
  if (head.value == 0) {  // nothing to replay (replay_into reads Position{0} as "the head")
    writer_model_ = published_;
    return ok();
  }
  if (!start.writer) {
    PLACEMENT_TRY(replay_into(published_, log_, head));
    writer_model_ = published_;
    return ok();
  }
  if (start.writer->position != published_.position)
    return fail(Errc::internal, "the writer's starting model is of position " +
                                    std::to_string(start.writer->position.value) + ", the published one of " +
                                    std::to_string(published_.position.value));
  writer_model_ = std::move(*start.writer);
  // The same events folded by the same code into equal models: equal models again. The two replays
  // already keep both cores busy, so each reads and folds on its own one thread.
  auto writer_replayed = std::async(
      std::launch::async, [this, head] { return replay_into(writer_model_, log_, head, ReplayThreads::one); });
  const Status published_replayed = replay_into(published_, log_, head, ReplayThreads::one);
  const Status writer_result = writer_replayed.get();
  if (!published_replayed) return published_replayed;
  return writer_result;
}

Position Ledger::position() const {
  std::shared_lock lock(mutex_);
  return published_.position;
}

void Ledger::refuse_writes(Error why) {
  std::lock_guard lock(refusal_mutex_);
  refusal_ = std::move(why);
}

Result<storage::AppendRequest> Ledger::prepare(const v1::Actor& actor, const std::string& command_id,
                                               const domain::CommandBody& body) {
  {
    std::lock_guard lock(refusal_mutex_);
    if (refusal_) return outcome::failure(*refusal_);
  }
  const auto now = clock_.now();
  domain::Command command{.actor = domain::Actor{actor.subject(), domain_role(actor.role()),
                                                 static_cast<std::int32_t>(actor.municipality_code())},
                          .command_id = command_id,
                          .now = std::chrono::time_point_cast<std::chrono::microseconds>(now),
                          .today = copenhagen_date(now),
                          .body = body};
  PLACEMENT_TRY(events, domain::decide(writer_model_.state, command));
  if (events.empty()) return fail(Errc::internal, "the command decided no event");

  storage::AppendRequest request;
  request.command_id = command_id;
  request.actor = actor;
  request.recorded_at = now;
  for (const auto& event : events) {
    domain::apply(writer_model_.state, event);
    std::string stream = domain::stream_of(event);
    // Consecutive events of one stream share an entry; the order across streams is kept.
    if (request.streams.empty() || request.streams.back().stream_id != stream)
      request.streams.push_back({std::move(stream), storage::ExpectedVersion::any(), {}});
    request.streams.back().events.push_back(codec::encode_event(event));
  }
  return request;
}

void Ledger::publish(std::span<const storage::LoggedEvent> events) {
  {
    std::unique_lock lock(mutex_);
    for (const auto& logged : events) {
      if (auto applied = apply_logged(published_, logged); !applied) {
        // We encoded these bytes a moment ago: failing to read them back is a bug, not input.
        spdlog::critical("cannot decode an event just written at position {}: {}", logged.envelope.position(),
                         applied.error().message);
        std::abort();
      }
    }
  }
  if (observer_) observer_->batch_published(events);
  if (on_published_ && !events.empty()) on_published_(events.back().position());
}

void Ledger::batch_started() {
  if (prerequisite_) prerequisite_mark_ = prerequisite_->start_sync();
}

Status Ledger::before_write() { return prerequisite_ ? prerequisite_->wait_durable(prerequisite_mark_) : ok(); }

void Ledger::committed(std::span<const storage::LoggedEvent> events) { publish(events); }

void Ledger::write_failed() { reset_writer_state(); }

void Ledger::refused_after_prepare() { reset_writer_state(); }

void Ledger::reset_writer_state() {
  std::shared_lock lock(mutex_);
  writer_model_ = published_;
}

Status Ledger::require_same_caller(const v1::Actor& actor, const std::string& command_id, Position first) const {
  PLACEMENT_TRY(events, log_.read_forward(first, 1));
  if (events.empty()) return fail(Errc::internal, "command " + command_id + " has no first event");
  const v1::Actor& original = events.front().envelope.actor();
  if (original.subject() == actor.subject() && original.role() == actor.role() &&
      original.municipality_code() == actor.municipality_code() && original.operator_code() == actor.operator_code())
    return ok();
  return fail(Errc::already_exists,
              "command id '" + command_id + "' was already used by another caller; choose a new command id");
}

void Ledger::execute(const v1::Actor& actor, std::string command_id, domain::CommandBody body, Done done,
                     Deadline deadline) {
  if (observer_) {
    done = [observer = observer_, type = domain::command_type_name(body), started = std::chrono::steady_clock::now(),
            done = std::move(done)](Result<CommandOutcome> result) {
      const std::string_view outcome_label = !result                    ? to_string(result.error().code)
                                             : result.value().duplicate ? std::string_view("duplicate")
                                                                        : std::string_view("ok");
      observer->command_answered(type, outcome_label, std::chrono::steady_clock::now() - started);
      done(std::move(result));
    };
  }
  // Both halves of the job run on the writer thread inside the command's log scope, so whatever
  // deciding, writing or answering logs names the command.
  auto id = std::make_shared<const std::string>(command_id);
  auto prepare_in_scope = [this, actor, id, body = std::move(body), deadline]() -> Result<storage::AppendRequest> {
    CommandLogScope scope(*id);
    // Real time, as the caller's deadline is, not the ledger's clock (which tests may fix).
    if (deadline != kNoDeadline && std::chrono::system_clock::now() >= deadline)
      return fail(Errc::deadline_exceeded,
                  "the call's deadline passed while it waited for the writer; nothing was done");
    return prepare(actor, *id, body);
  };
  writer_->submit(storage::GroupCommitWriter::Job{
      std::move(command_id), std::move(prepare_in_scope),
      [this, actor, id, done = std::move(done)](Result<storage::AppendResult> result) {
        CommandLogScope scope(*id);
        if (!result) return done(outcome::failure(result.error()));
        spdlog::debug("{} at positions {}..{}", result.value().duplicate ? "repeated" : "written",
                      result.value().first.value, result.value().last.value);
        if (result.value().duplicate) {
          if (auto same = require_same_caller(actor, *id, result.value().first); !same)
            return done(outcome::failure(same.error()));
        }
        done(CommandOutcome{result.value().first, result.value().last, result.value().duplicate});
      }});
}

Result<CommandOutcome> Ledger::execute_and_wait(const v1::Actor& actor, std::string command_id,
                                                domain::CommandBody body) {
  auto promise = std::make_shared<std::promise<Result<CommandOutcome>>>();
  auto future = promise->get_future();
  execute(actor, std::move(command_id), std::move(body),
          [promise](Result<CommandOutcome> result) { promise->set_value(std::move(result)); });
  return future.get();
}

void Ledger::stop() {
  if (writer_) writer_->stop();
}

}  // namespace placement::ledger
