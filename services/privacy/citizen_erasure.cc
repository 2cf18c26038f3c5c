#include "services/privacy/citizen_erasure.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "services/codec/api_mapping.h"
#include "services/codec/event_codec.h"
#include "services/codec/input_limits.h"
#include "services/domain/cpr.h"
#include "services/domain/queries.h"

namespace placement::privacy {

CitizenErasure::~CitizenErasure() { worker_.join(); }

Result<std::string> CitizenErasure::citizen_named_by(const v1::EraseCitizenRequest& request) const {
  switch (request.citizen_case()) {
    case v1::EraseCitizenRequest::kCpr: {
      PLACEMENT_TRY(cpr, domain::parse_cpr(request.cpr()));
      PLACEMENT_TRY(id, keys_.find(pseudonymizer_.citizen(cpr.digits)));
      if (!id) return fail(Errc::not_found, "no citizen with this CPR number has a key (never placed, or erased)");
      return *id;
    }
    case v1::EraseCitizenRequest::kPlacementId: {
      PLACEMENT_TRY(codec::check_id_length(request.placement_id(), "placement_id"));
      auto id = ledger_.read([&](const domain::State& state) -> std::optional<std::string> {
        const auto* placement = domain::find_placement(state, request.placement_id());
        if (!placement) return std::nullopt;
        return placement->citizen.citizen_id;
      });
      if (!id) return outcome::failure(domain::no_such_placement(request.placement_id()));
      return *id;
    }
    default: return fail(Errc::invalid_argument, "name the citizen: cpr or placement_id");
  }
}

void CitizenErasure::erase(const v1::Actor& caller, const v1::EraseCitizenRequest& request, Done done) {
  if (auto valid = codec::validate_command_id(request.command_id()); !valid)
    return done(outcome::failure(valid.error()));
  if (auto valid = codec::check_text(request.reason(), "reason", /*required=*/true); !valid)
    return done(outcome::failure(valid.error()));
  // The reason is recorded in the log for good: it must not smuggle in the CPR number the erasure is
  // about (AdminService screens every field the same way; this holds for any caller of erase).
  if (domain::holds_cpr_number(request.reason()))
    return done(fail(Errc::invalid_argument, "the reason is kept in the log: give a case number, not a CPR number"));
  auto citizen_id = citizen_named_by(request);
  if (!citizen_id) return done(outcome::failure(citizen_id.error()));
  const std::string id = citizen_id.value();
  {
    std::lock_guard lock(mutex_);
    if (auto recorded = recorded_.find(id); recorded != recorded_.end()) {
      ledger::CommandOutcome first = recorded->second;
      first.duplicate = true;
      return destroy_key(id, first, caller.subject(), std::move(done));
    }
    if (!in_progress_.insert(id).second)
      return done(fail(Errc::conflict, "this citizen's erasure is under way; ask again to see its result"));
  }
  ledger_.execute(
      caller, request.command_id(), domain::EraseCitizen{id, request.reason()},
      [this, id, subject = caller.subject(), done = std::move(done)](Result<ledger::CommandOutcome> recorded) mutable {
        {
          std::lock_guard lock(mutex_);
          in_progress_.erase(id);
          if (recorded) recorded_.emplace(id, ledger::CommandOutcome{recorded.value().first, recorded.value().last});
        }
        if (!recorded) return done(outcome::failure(recorded.error()));
        destroy_key(id, recorded.value(), subject, std::move(done));
      });
}

void CitizenErasure::destroy_key(const std::string& citizen_id, ledger::CommandOutcome recorded,
                                 const std::string& subject, Done done) {
  boost::asio::post(worker_, [this, citizen_id, subject, recorded, done = std::move(done)] {
    auto erased = keys_.erase(citizen_id);
    // Gone already (a retry, or an erasure finished before) is what was asked.
    if (!erased && erased.error().code != Errc::not_found) {
      spdlog::error("erasure of citizen {} is recorded but its key is not yet destroyed: {}", citizen_id,
                    erased.error().message);
      return done(fail(Errc::unavailable, "the erasure is recorded but the key could not be destroyed yet (" +
                                              erased.error().message + "); ask again to finish it"));
    }
    if (recorded.duplicate)
      spdlog::info("citizen {} was erased before (log position {})", citizen_id, recorded.first.value);
    else spdlog::info("erased citizen {} by {} (log position {})", citizen_id, subject, recorded.first.value);
    done(ErasedCitizen{recorded, citizen_id});
  });
}

Status CitizenErasure::finish_recorded(const storage::EventLog& log) {
  const std::string stream(domain::kErasureStream);
  for (StreamVersion from{1};;) {
    PLACEMENT_TRY(chunk, log.read_stream(stream, from, 1024));
    if (chunk.empty()) return ok();
    for (const auto& logged : chunk) {
      PLACEMENT_TRY(event, codec::decode_event(logged.envelope));
      const auto* erased = std::get_if<domain::CitizenErased>(&event);
      if (!erased) continue;
      {
        std::lock_guard lock(mutex_);
        recorded_.emplace(erased->citizen_id, ledger::CommandOutcome{logged.position(), logged.position()});
      }
      auto destroyed = keys_.erase(erased->citizen_id);
      if (destroyed) spdlog::warn("finished the interrupted erasure of citizen {}", erased->citizen_id);
      else if (destroyed.error().code != Errc::not_found) return outcome::failure(destroyed.error());
    }
    from = StreamVersion{from.value + chunk.size()};
  }
}

}  // namespace placement::privacy
