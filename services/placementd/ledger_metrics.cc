#include "services/placementd/ledger_metrics.h"

#include <algorithm>
#include <string>

namespace placement::placementd {

void LedgerMetrics::command_answered(std::string_view type, std::string_view outcome,
                                     std::chrono::steady_clock::duration latency) {
  std::string outcome_label(outcome);
  std::replace(outcome_label.begin(), outcome_label.end(), ' ', '_');  // "invalid argument" → invalid_argument
  metrics_.commands.add({std::string(type), std::move(outcome_label)});
  metrics_.command_latency.observe(std::chrono::duration<double>(latency).count());
}

void LedgerMetrics::batch_published(std::span<const storage::LoggedEvent> events) {
  std::size_t commands = 0;
  const std::string* previous = nullptr;
  for (const auto& logged : events) {
    metrics_.events.add({logged.envelope.event_type()});
    if (!previous || *previous != logged.envelope.command_id()) ++commands;
    previous = &logged.envelope.command_id();
  }
  metrics_.batch_size.observe(static_cast<double>(commands));
}

}  // namespace placement::placementd
