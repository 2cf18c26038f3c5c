#include "services/api/audit_service.h"

#include <memory>
#include <mutex>
#include <set>

#include <boost/asio/steady_timer.hpp>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include "services/codec/input_limits.h"

#include "services/api/caller.h"
#include "services/api/grpc_status.h"

namespace placement::api {
namespace {

v1::StoredEvent to_stored_event(storage::LoggedEvent&& event) {
  v1::StoredEvent out;
  *out.mutable_envelope() = std::move(event.envelope);
  out.set_envelope_bytes(std::move(event.envelope_bytes));
  out.set_hash(std::move(event.hash));
  return out;
}

// Streams events to one caller. It owns itself from start() until gRPC calls OnDone, so a
// wake-up from the feed after the call ended finds it either alive or gone (weak_ptr), never
// half destroyed. Contract with gRPC: at most one write outstanding; Finish exactly once.
// It holds a stream slot for its whole life, and a timer ends it after limits.max_duration.
class EventStreamReactor final : public grpc::ServerWriteReactor<v1::StoredEvent>,
                                 public std::enable_shared_from_this<EventStreamReactor> {
 public:
  EventStreamReactor(const storage::EventLog& log, ledger::CommitFeed& feed, StreamLimits limits,
                     const v1::StreamEventsRequest& request, grpc::CallbackServerContext* context,
                     boost::asio::thread_pool& timers)
      : log_(log),
        feed_(feed),
        limits_(limits),
        request_(request),
        types_(request.event_types().begin(), request.event_types().end()),
        next_(std::max<std::uint64_t>(request.from_position(), 1)),
        context_(context),
        expiry_(timers) {}

  void start(std::unique_ptr<StreamSlots::Slot> slot) {
    self_ = shared_from_this();
    slot_ = std::move(slot);
    expiry_.expires_after(limits_.max_duration);
    std::weak_ptr<EventStreamReactor> weak = weak_from_this();
    expiry_.async_wait([weak](const boost::system::error_code& error) {
      if (error) return;
      if (auto self = weak.lock()) self->expire();
    });
    pump();
  }

  // Ends the call before any event is sent.
  void refuse(grpc::Status status) {
    self_ = shared_from_this();
    std::lock_guard lock(mutex_);
    finish_locked(std::move(status));
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard lock(mutex_);
      writing_ = false;
      if (!ok) {
        finish_locked(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
        return;
      }
    }
    pump();
  }

  void OnCancel() override {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    if (waiting_) feed_.cancel(wait_id_);
    if (!writing_) finish_locked(grpc::Status::CANCELLED);
  }

  void OnDone() override { self_.reset(); }

  // The stream has lasted limits.max_duration. An idle one ends with a message saying where to
  // go on; one stuck on a client that does not read is cancelled, which frees its buffer.
  void expire() {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    if (writing_) {
      context_->TryCancel();
      return;
    }
    if (waiting_) feed_.cancel(wait_id_);
    finish_locked(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                               "an audit stream lasts at most " + std::to_string(limits_.max_duration.count()) +
                                   " s; continue from_position " + std::to_string(next_)));
  }

 private:
  bool matches(const v1::EventEnvelope& envelope) const {
    if (!request_.stream_id().empty() && envelope.stream_id() != request_.stream_id()) return false;
    if (request_.has_recorded_from() && envelope.recorded_at() < request_.recorded_from()) return false;
    if (request_.has_recorded_to() && !(envelope.recorded_at() < request_.recorded_to())) return false;
    return types_.empty() || types_.contains(envelope.event_type());
  }

  bool limit_reached() const { return request_.max_events() != 0 && sent_ >= request_.max_events(); }

  // Sends the next matching event, or waits for the head to move, or ends the stream.
  void pump() {
    std::lock_guard lock(mutex_);
    waiting_ = false;
    if (finished_ || writing_) return;
    if (cancelled_) return finish_locked(grpc::Status::CANCELLED);
    if (limit_reached()) return finish_locked(grpc::Status::OK);
    while (buffer_index_ == buffer_.size()) {
      buffer_.clear();
      buffer_index_ = 0;
      auto events = log_.read_forward(Position{next_}, limits_.read_chunk);
      if (!events) return finish_locked(to_grpc_status(events.error()));
      if (events.value().empty()) {
        if (!request_.follow() || feed_.closed()) return finish_locked(grpc::Status::OK);
        waiting_ = true;
        std::weak_ptr<EventStreamReactor> weak = weak_from_this();
        wait_id_ = feed_.wait_beyond(Position{next_ - 1}, [weak] {
          if (auto self = weak.lock()) self->pump();
        });
        return;
      }
      for (auto& event : events.value()) {
        next_ = event.envelope.position() + 1;
        if (matches(event.envelope)) buffer_.push_back(to_stored_event(std::move(event)));
      }
    }
    writing_ = true;
    ++sent_;
    StartWrite(&buffer_[buffer_index_++]);
  }

  void finish_locked(grpc::Status status) {
    if (finished_) return;
    finished_ = true;
    Finish(std::move(status));
  }

  const storage::EventLog& log_;
  ledger::CommitFeed& feed_;
  const StreamLimits limits_;
  const v1::StreamEventsRequest request_;
  const std::set<std::string> types_;

  std::mutex mutex_;
  std::shared_ptr<EventStreamReactor> self_;
  std::vector<v1::StoredEvent> buffer_;
  std::size_t buffer_index_ = 0;
  std::uint64_t next_;
  grpc::CallbackServerContext* const context_;  // valid until Finish; used only before it
  boost::asio::steady_timer expiry_;
  std::unique_ptr<StreamSlots::Slot> slot_;
  std::uint64_t sent_ = 0;
  std::uint64_t wait_id_ = 0;
  bool waiting_ = false;
  bool writing_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
};

}  // namespace

AuditServiceImpl::AuditServiceImpl(const storage::EventLog& log, ledger::CommitFeed& feed,
                                   const Authenticator& authenticator, StreamLimits limits)
    : log_(log),
      feed_(feed),
      authenticator_(authenticator),
      limits_(limits),
      slots_(limits.max_streams, limits.max_streams_per_role, limits.max_streams_per_caller) {}

namespace {

std::optional<grpc::Status> refuse_caller(const Authenticator& authenticator,
                                          const grpc::CallbackServerContext& context, Rpc rpc,
                                          const google::protobuf::Message& request) {
  if (auto caller = authenticator.authorized_caller(context, rpc, request); !caller)
    return to_grpc_status(caller.error());
  return std::nullopt;
}

// One caller within its role: scope and subject (two providers' subjects may coincide, but not
// with the same scope).
std::string caller_key(const v1::Actor& caller) {
  return std::to_string(caller.municipality_code()) + "/" + std::to_string(caller.operator_code()) + "/" +
         caller.subject();
}

// The filters are matched against every event read, so they are held to the input limits.
std::optional<grpc::Status> check_filters(const v1::StreamEventsRequest& request) {
  auto invalid = [](std::string message) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
  };
  if (request.stream_id().size() > codec::kMaxStreamIdLength)
    return invalid("stream_id is longer than " + std::to_string(codec::kMaxStreamIdLength) + " characters");
  if (static_cast<std::size_t>(request.event_types_size()) > codec::kMaxFilterEntries)
    return invalid("event_types names more than " + std::to_string(codec::kMaxFilterEntries) + " types");
  for (const auto& type : request.event_types()) {
    if (type.size() > codec::kMaxIdLength)
      return invalid("event_types has a name longer than " + std::to_string(codec::kMaxIdLength) + " characters");
  }
  return std::nullopt;
}

}  // namespace

grpc::ServerWriteReactor<v1::StoredEvent>* AuditServiceImpl::StreamEvents(grpc::CallbackServerContext* context,
                                                                          const v1::StreamEventsRequest* request) {
  auto reactor = std::make_shared<EventStreamReactor>(log_, feed_, limits_, *request, context, timers_);
  auto caller = authenticator_.authorized_caller(*context, Rpc::stream_events, *request);
  if (!caller) {
    reactor->refuse(to_grpc_status(caller.error()));
  } else if (auto invalid = check_filters(*request)) {
    reactor->refuse(*invalid);
  } else if (auto acquired = slots_.acquire(v1::Role_Name(caller.value().role()), caller_key(caller.value()));
             !acquired.slot) {
    reactor->refuse(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, acquired.refusal));
  } else {
    reactor->start(std::move(acquired.slot));
  }
  return reactor.get();
}

grpc::ServerUnaryReactor* AuditServiceImpl::VerifyChain(grpc::CallbackServerContext* context,
                                                        const v1::VerifyChainRequest* request,
                                                        v1::VerifyChainResponse* response) {
  auto* reactor = context->DefaultReactor();
  if (auto refused = refuse_caller(authenticator_, *context, Rpc::verify_chain, *request)) {
    reactor->Finish(*refused);
    return reactor;
  }
  if (request->to_position() != 0 && request->to_position() < request->from_position()) {
    reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "to_position is before from_position"));
    return reactor;
  }
  auto report = log_.verify_chain(Position{request->from_position()}, Position{request->to_position()});
  if (!report) {
    reactor->Finish(to_grpc_status(report.error()));
    return reactor;
  }
  response->set_ok(report.value().ok);
  response->set_events_checked(report.value().checked);
  response->set_first_bad_position(report.value().first_bad.value);
  response->set_problem(report.value().problem);
  response->set_head_hash(report.value().head_hash);
  if (!report.value().ok)
    spdlog::warn("chain verification failed at position {}: {}", report.value().first_bad.value,
                 report.value().problem);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* AuditServiceImpl::GetHead(grpc::CallbackServerContext* context,
                                                    const v1::GetHeadRequest* request, v1::GetHeadResponse* response) {
  if (auto refused = refuse_caller(authenticator_, *context, Rpc::get_head, *request)) {
    auto* reactor = context->DefaultReactor();
    reactor->Finish(*refused);
    return reactor;
  }
  const auto head = log_.head();
  response->set_position(head.position.value);
  response->set_hash(head.hash);
  auto* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace placement::api
