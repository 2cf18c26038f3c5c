#include "services/placementd/replay.h"

#include <string>
#include <string_view>

#include "services/codec/event_codec.h"
#include "services/codec/planning_codec.h"
#include "services/domain/apply.h"
#include "services/projections/planning_events.h"
#include "storage/envelope_view.h"

namespace placement::placementd {
namespace {

// Folds one event known by its type and payload: the step apply_logged and replay_into share, so
// an event read either way changes the model alike.
Status apply_payload(ReadModel& model, Position position, std::string_view type, std::string_view payload) {
  if (codec::is_planning_event_type(type)) {
    auto event = codec::decode_planning_event(type, payload);
    if (!event) return outcome::failure(event.error());
    projections::apply(model.inputs, event.value());
  } else {
    auto event = codec::decode_event(type, payload);
    if (!event) return outcome::failure(event.error());
    domain::apply(model.state, event.value());
  }
  model.position = position;
  return ok();
}

// Replay reads the stored bytes in place: only the type and payload are taken from the envelope,
// nothing else is parsed or copied, and the hash is not read (the chain is verified on its own).
Status apply_stored(ReadModel& model, const storage::StoredEventView& stored) {
  auto envelope = storage::view_envelope(stored.envelope_bytes);
  if (!envelope) return outcome::failure(envelope.error());
  if (envelope.value().position != stored.position.value)
    return fail(Errc::data_loss, "its envelope names position " + std::to_string(envelope.value().position));
  return apply_payload(model, stored.position, envelope.value().event_type, envelope.value().payload);
}

}  // namespace

Status apply_logged(ReadModel& model, const storage::LoggedEvent& logged) {
  const auto& envelope = logged.envelope;
  return apply_payload(model, logged.position(), envelope.event_type(), envelope.payload());
}

Status replay_into(ReadModel& model, const storage::EventLog& log, Position up_to) {
  if (up_to.value != 0 && model.position >= up_to) return ok();
  return log.visit_forward(Position{model.position.value + 1}, up_to,
                           [&model](const storage::StoredEventView& stored) -> Status {
                             if (auto applied = apply_stored(model, stored); !applied)
                               return fail(Errc::data_loss, "cannot replay position " +
                                                                std::to_string(stored.position.value) + ": " +
                                                                applied.error().message);
                             return ok();
                           });
}

}  // namespace placement::placementd
