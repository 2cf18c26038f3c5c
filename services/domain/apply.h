#pragma once

#include <span>

#include "services/domain/events.h"
#include "services/domain/state.h"

namespace placement::domain {

// Folds one event into the state. Deterministic and free of I/O: replaying the same events in the
// same order from an empty State always yields an equal State. Total: it never fails; an event
// that names an unknown offer or placement (impossible for events decide() produced and the log
// verified) changes nothing.
void apply(State& state, const Event& event);
// The same, taking what it keeps (strings) from the event instead of copying it.
void apply(State& state, Event&& event);

// Rebuilds the state from a log: apply() of each event, in order, from an empty State.
State replay(std::span<const Event> events);

}  // namespace placement::domain
