#include "services/ledger/reservation_expiry.h"

#include <spdlog/spdlog.h>

#include "services/domain/vocabulary.h"

namespace placement::ledger {

ReservationExpiry::ReservationExpiry(Ledger& ledger, const Clock& clock, std::chrono::milliseconds interval)
    : ledger_(ledger), clock_(clock), interval_(interval), timer_(context_) {
  schedule();
  thread_ = std::thread([this] { context_.run(); });
}

ReservationExpiry::~ReservationExpiry() {
  context_.stop();
  if (thread_.joinable()) thread_.join();
}

void ReservationExpiry::schedule() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    sweep();
    schedule();
  });
}

std::size_t ReservationExpiry::sweep() {
  const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(clock_.now());
  struct Due {
    std::string placement_id;
    domain::Instant expires_at;
  };
  auto due = ledger_.read([&](const domain::State& state) {
    std::vector<Due> found;
    for (const auto& [id, placement] : state.placements)
      if (placement.status == domain::PlacementStatus::reserved && placement.hold_expires_at &&
          *placement.hold_expires_at <= now)
        found.push_back({id, *placement.hold_expires_at});
    return found;
  });
  v1::Actor system;
  system.set_subject("placementd");
  system.set_role(v1::ROLE_SYSTEM);
  for (const auto& item : due) {
    const std::string command_id =
        "expire/" + item.placement_id + "/" + std::to_string(item.expires_at.time_since_epoch().count());
    ledger_.execute(system, command_id, domain::ExpireReservation{item.placement_id},
                    [id = item.placement_id](Result<CommandOutcome> outcome) {
                      if (outcome) spdlog::info("reservation of placement {} expired", id);
                      else spdlog::warn("expiry of placement {} refused: {}", id, outcome.error().message);
                    });
  }
  return due.size();
}

}  // namespace placement::ledger
