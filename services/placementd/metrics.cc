#include "services/placementd/metrics.h"

#include <fmt/format.h>

namespace placement::placementd {
namespace {

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double value) {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micro_.fetch_add(static_cast<std::uint64_t>(value * 1e6), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  const std::string prefix = labels.empty() ? "" : labels + ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    out += fmt::format("{}_bucket{{{}le=\"{}\"}} {}\n", name, prefix, bounds_[i], cumulative);
  }
  cumulative += buckets_[bounds_.size()].load(std::memory_order_relaxed);
  out += fmt::format("{}_bucket{{{}le=\"+Inf\"}} {}\n", name, prefix, cumulative);
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += fmt::format("{}_sum{} {}\n", name, braces, static_cast<double>(sum_micro_.load()) / 1e6);
  out += fmt::format("{}_count{} {}\n", name, braces, count_.load());
}

void CounterFamily::add(const std::vector<std::string>& label_values, std::uint64_t amount) {
  std::lock_guard lock(mutex_);
  values_[label_values] += amount;
}

void CounterFamily::render(std::string& out, const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& [labels, value] : values_) {
    std::string rendered;
    for (std::size_t i = 0; i < labels.size() && i < label_names_.size(); ++i)
      rendered += fmt::format("{}{}=\"{}\"", i ? "," : "", label_names_[i], escape_label(labels[i]));
    out += fmt::format("{}{{{}}} {}\n", name, rendered, value);
  }
}

Metrics::Metrics()
    : command_latency({0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5}),
      batch_size({1, 2, 4, 8, 16, 32, 64, 128, 256, 512}) {}

void Metrics::add_sampler(Sampler sampler) {
  std::lock_guard lock(samplers_mutex_);
  samplers_.push_back(std::move(sampler));
}

void render_gauge(std::string& out, const std::string& name, const std::string& help, double value) {
  out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", name, help, name, name, value);
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP placement_commands_total Commands answered, by type and outcome.\n";
  out += "# TYPE placement_commands_total counter\n";
  commands.render(out, "placement_commands_total");
  out += "# HELP placement_events_total Events made durable, by type.\n";
  out += "# TYPE placement_events_total counter\n";
  events.render(out, "placement_events_total");
  out += "# HELP placement_command_latency_seconds From submission to answer, including the synced write.\n";
  out += "# TYPE placement_command_latency_seconds histogram\n";
  command_latency.render(out, "placement_command_latency_seconds");
  out += "# HELP placement_batch_commands Commands written per group-commit batch.\n";
  out += "# TYPE placement_batch_commands histogram\n";
  batch_size.render(out, "placement_batch_commands");
  std::lock_guard lock(samplers_mutex_);
  for (const auto& sampler : samplers_) sampler(out);
  return out;
}

}  // namespace placement::placementd
