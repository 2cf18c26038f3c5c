#pragma once
// The server's metrics, rendered in the Prometheus text exposition format. Counters and
// histograms are updated lock-free on the hot path (atomics); labelled families take a mutex
// only to find their series.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace placement::placementd {

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);
  void render(std::string& out, const std::string& name, const std::string& labels = "") const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // one per bound, plus +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micro_{0};  // sum in millionths, so it stays an integer atomic
};

// Counters keyed by a set of label values, e.g. {type="RequestPlacement", outcome="ok"}.
class CounterFamily {
 public:
  explicit CounterFamily(std::vector<std::string> label_names) : label_names_(std::move(label_names)) {}
  void add(const std::vector<std::string>& label_values, std::uint64_t amount = 1);
  void render(std::string& out, const std::string& name) const;

 private:
  std::vector<std::string> label_names_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::uint64_t> values_;
};

struct Metrics {
  Metrics();

  CounterFamily commands{{"type", "outcome"}};  // outcome: ok, duplicate, or the error code
  CounterFamily events{{"type"}};
  Histogram command_latency;  // seconds from submission to answer, durable writes included
  Histogram batch_size;       // commands per group-commit batch

  // Gauges and other values read at render time (log head, projection position, RocksDB).
  using Sampler = std::function<void(std::string& out)>;
  void add_sampler(Sampler sampler);

  std::string render() const;

 private:
  mutable std::mutex samplers_mutex_;
  std::vector<Sampler> samplers_;
};

// Appends one sample line, with HELP and TYPE, to out.
void render_gauge(std::string& out, const std::string& name, const std::string& help, double value);

}  // namespace placement::placementd
