#pragma once
// The ledger's work as Prometheus metrics: placement_commands_total{type,outcome}, the command
// latency, placement_events_total{type} and the commands per group-commit batch.

#include "services/ledger/ledger.h"
#include "services/placementd/metrics.h"

namespace placement::placementd {

class LedgerMetrics final : public ledger::LedgerObserver {
 public:
  // metrics must outlive this observer.
  explicit LedgerMetrics(Metrics& metrics) : metrics_(metrics) {}

  void command_answered(std::string_view type, std::string_view outcome,
                        std::chrono::steady_clock::duration latency) override;
  void batch_published(std::span<const storage::LoggedEvent> events) override;

 private:
  Metrics& metrics_;
};

}  // namespace placement::placementd
