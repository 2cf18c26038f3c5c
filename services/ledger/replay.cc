#include "services/ledger/replay.h"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "services/codec/event_codec.h"
#include "services/domain/apply.h"
#include "services/ledger/batch_pipe.h"
#include "storage/envelope_view.h"

namespace placement::ledger {
namespace {

// An event as folding needs it: nothing of its envelope but its position.
struct DecodedEvent {
  Position position;
  domain::Event event;
};

// The one step every way of building the model shares, so an event read any way changes it alike.
// The event is decoded for this fold alone, so the state takes its strings rather than copies.
void fold(ReadModel& model, Position position, domain::Event&& event) {
  domain::apply(model.state, std::move(event));
  model.position = position;
}

// Replay reads the stored bytes in place: only the type and payload are taken from the envelope,
// nothing else is parsed or copied, and the hash is not read (the chain is verified on its own).
Status decode_stored_into(const storage::StoredEventView& stored, DecodedEvent& out) {
  auto decoded = [&]() -> Status {
    PLACEMENT_TRY(envelope, storage::view_envelope(stored.envelope_bytes));
    if (envelope.position != stored.position.value)
      return fail(Errc::data_loss, "its envelope names position " + std::to_string(envelope.position));
    return codec::decode_event_into(envelope.event_type, envelope.payload, out.event);
  }();
  if (!decoded)
    return fail(Errc::data_loss,
                "cannot replay position " + std::to_string(stored.position.value) + ": " + decoded.error().message);
  out.position = stored.position;
  return ok();
}

Status replay_on_one_thread(ReadModel& model, const storage::EventLog& log, Position up_to) {
  return log.visit_forward(
      Position{model.position.value + 1}, up_to,
      [&model, decoded = DecodedEvent{}](const storage::StoredEventView& stored) mutable -> Status {
        PLACEMENT_TRY(decode_stored_into(stored, decoded));
        fold(model, decoded.position, std::move(decoded.event));
        return ok();
      });
}

// Reading and decoding (RocksDB, the envelope, protobuf) take about a third of a replay and need
// nothing of the model, so a second thread does them, a batch ahead of the folding.
constexpr std::size_t kEventsPerBatch = 1'024;
constexpr std::size_t kBatchesAhead = 8;

Status replay_on_two_threads(ReadModel& model, const storage::EventLog& log, Position up_to) {
  BatchPipe<DecodedEvent> pipe(kBatchesAhead);
  const Position from{model.position.value + 1};
  std::thread reader([&pipe, &log, from, up_to] {
    pthread_setname_np(pthread_self(), "replay-reader");  // as top, perf and gdb show it
    Status read = ok();
    try {
      auto batch = pipe.empty_batch();
      batch.reserve(kEventsPerBatch);
      read = log.visit_forward(from, up_to, [&](const storage::StoredEventView& stored) -> Status {
        if (auto decoded = decode_stored_into(stored, batch.emplace_back()); !decoded) {
          batch.pop_back();
          return decoded;
        }
        if (batch.size() < kEventsPerBatch) return ok();
        if (!pipe.push(std::move(batch))) return fail(Errc::internal, "replay stopped");
        batch = pipe.empty_batch();
        batch.reserve(kEventsPerBatch);
        return ok();
      });
      // What was decoded before a failure is folded too: the model then holds every event before it.
      if (!batch.empty()) pipe.push(std::move(batch));
    } catch (const std::exception& e) {
      read = fail(Errc::internal, std::string("replay's reader failed: ") + e.what());
    }
    pipe.finish(std::move(read));
  });
  // Folding can only fail by throwing; the reader is then stopped and joined before unwinding.
  struct JoinReader {
    BatchPipe<DecodedEvent>& pipe;
    std::thread& reader;
    ~JoinReader() {
      pipe.stop();
      reader.join();
    }
  } join_reader{pipe, reader};
  while (auto batch = pipe.pop()) {
    for (DecodedEvent& decoded : *batch) fold(model, decoded.position, std::move(decoded.event));
    pipe.give_back(std::move(*batch));
  }
  return pipe.status();
}

}  // namespace

Status apply_logged(ReadModel& model, const storage::LoggedEvent& logged) {
  const auto& envelope = logged.envelope;
  domain::Event event;
  PLACEMENT_TRY(codec::decode_event_into(envelope.event_type(), envelope.payload(), event));
  fold(model, logged.position(), std::move(event));
  return ok();
}

Status replay_into(ReadModel& model, const storage::EventLog& log, Position up_to, ReplayThreads threads) {
  if (up_to.value != 0 && model.position >= up_to) return ok();
  if (threads == ReplayThreads::automatic) {
    const std::uint64_t head = log.head().position.value;
    const std::uint64_t last = up_to.value == 0 ? head : std::min(up_to.value, head);
    const std::uint64_t events = last > model.position.value ? last - model.position.value : 0;
    threads = events >= kTwoThreadsFrom ? ReplayThreads::two : ReplayThreads::one;
  }
  if (threads == ReplayThreads::two) return replay_on_two_threads(model, log, up_to);
  return replay_on_one_thread(model, log, up_to);
}

}  // namespace placement::ledger
