#pragma once

#include <vector>

#include "services/base/result.h"
#include "services/domain/commands.h"
#include "services/domain/events.h"
#include "services/domain/state.h"

namespace placement::domain {

// Validates a command against the state and returns the events that record it, in the order
// they must be applied and appended; or an error, having decided nothing. Pure: the same state
// and command always give the same answer. Applying the returned events keeps every invariant:
// reserved + occupied <= open places of every offer on every date, at most one active placement
// per citizen and offer.
//
// The caller (the single writer) must apply the events of one command before deciding the next.
Result<std::vector<Event>> decide(const State& state, const Command& command);

}  // namespace placement::domain
