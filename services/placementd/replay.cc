#include "services/placementd/replay.h"

#include <algorithm>
#include <string>

#include "services/codec/event_codec.h"
#include "services/codec/planning_codec.h"
#include "services/domain/apply.h"
#include "services/projections/planning_events.h"

namespace placement::placementd {
namespace {

constexpr std::size_t kReplayChunk = 4096;

}  // namespace

Status apply_logged(ReadModel& model, const storage::LoggedEvent& logged) {
  const auto& envelope = logged.envelope;
  if (codec::is_planning_event_type(envelope.event_type())) {
    auto event = codec::decode_planning_event(envelope.event_type(), envelope.payload());
    if (!event) return outcome::failure(event.error());
    projections::apply(model.inputs, event.value());
  } else {
    auto event = codec::decode_event(envelope.event_type(), envelope.payload());
    if (!event) return outcome::failure(event.error());
    domain::apply(model.state, event.value());
  }
  model.position = logged.position();
  return ok();
}

Status replay_into(ReadModel& model, const storage::EventLog& log, Position up_to) {
  for (;;) {
    if (up_to.value != 0 && model.position >= up_to) return ok();
    std::size_t want = kReplayChunk;
    if (up_to.value != 0) want = static_cast<std::size_t>(std::min<std::uint64_t>(want, up_to.value - model.position.value));
    auto chunk = log.read_forward(Position{model.position.value + 1}, want);
    if (!chunk) return outcome::failure(chunk.error());
    if (chunk.value().empty()) return ok();
    for (const auto& logged : chunk.value()) {
      if (auto applied = apply_logged(model, logged); !applied)
        return fail(Errc::data_loss,
                    "cannot replay position " + std::to_string(logged.envelope.position()) + ": " + applied.error().message);
    }
  }
}

}  // namespace placement::placementd
