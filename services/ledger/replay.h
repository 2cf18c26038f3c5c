#pragma once
// Folding logged events into the read model: the domain State (its planning inputs included).
// The one code path for the ledger's replay at start, its publishing of new events, and the
// planning views' time travel, so every way of building the model gives the same result.

#include <cstdint>
#include <span>

#include "services/base/result.h"
#include "services/domain/state.h"
#include "storage/event_log.h"

namespace placement::ledger {

// The read model as of one log position.
struct ReadModel {
  domain::State state;
  Position position{0};  // the last event folded in (0: none)
};

// Folds one event into the state. Errors (data_loss): an event this build cannot decode; the model
// is then unchanged.
Status apply_logged(ReadModel& model, const storage::LoggedEvent& logged);

// How replay_into divides its work. Both ways give the same model and the same errors.
enum class ReplayThreads {
  automatic,  // two from kTwoThreadsFrom events on, else one
  one,        // read, decode and fold on the calling thread
  two,        // read and decode on a thread of its own, fold on the calling thread
};
// Below this many events, starting a thread costs more than it saves (a view catching up after a
// write folds a handful).
inline constexpr std::uint64_t kTwoThreadsFrom = 16'384;

// Folds the events after model.position up to and including `up_to` (Position{0}: up to the head),
// in log order, streaming them through EventLog::visit_forward (no LoggedEvent is built). With two
// threads, reading and decoding run ahead of folding, which has the model to itself. Errors: a
// read failure, or data_loss naming the position; the model then holds every event before it.
Status replay_into(ReadModel& model, const storage::EventLog& log, Position up_to = Position{0},
                   ReplayThreads threads = ReplayThreads::automatic);

}  // namespace placement::ledger
