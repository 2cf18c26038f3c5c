// replay_bench: how fast the read model is rebuilt from the log, next to a raw RocksDB scan of the
// same events measured in the same process (docs/BENCHMARKS.md §4). The data folder must not be
// open in a running placementd (RocksDB's lock).
//
//   raw scan   a RocksDB iterator over the events column family, touching every key and value:
//              the ceiling any replay from this log can approach.
//   read       EventLog::read_forward in chunks of 4 096: every envelope parsed into a LoggedEvent
//              with copies of its bytes and hash, nothing applied (how replay read until 2026-11-30).
//   visit      EventLog::visit_forward with storage::view_envelope on each event: what replay reads
//              now, the stored bytes in place and only the type and payload found, nothing decoded.
//   decode     visit, then every event decoded into one reused domain event (as replay decodes
//              into its batches' slots), nothing applied: the share of a replay spent in the codec.
//   replay     ledger::replay_into a fresh ReadModel: decode every event and apply it, the
//              ledger's own start-up path (services/ledger/replay.cc).
//
// First a replay into the fresh process, timed, with the resident set before and after it (the
// read model of the whole log in memory); then each kind (all, or those --kinds names) is run
// --repeat times, interleaved, and the medians printed. One human line and one JSON line per kind.

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "services/codec/event_codec.h"
#include "services/ledger/replay.h"
#include "storage/envelope_view.h"
#include "storage/rocksdb_event_log.h"

namespace {

namespace ledger = placement::ledger;
namespace storage = placement::storage;
using Clock = std::chrono::steady_clock;

// A /proc/self/status field in kB (VmRSS, VmHWM), 0 when not found.
long status_kb(std::string_view field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with(field)) return std::stol(line.substr(field.size() + 1));
  return 0;
}

double seconds_since(Clock::time_point started) {
  return std::chrono::duration<double>(Clock::now() - started).count();
}

std::uint64_t raw_scan(storage::RocksDbEventLog& log) {
  std::unique_ptr<rocksdb::Iterator> it(log.db().NewIterator(rocksdb::ReadOptions(), &log.events_family()));
  std::uint64_t keys = 0, bytes = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++keys;
    bytes += it->key().size() + it->value().size();
  }
  if (bytes == 0) std::cerr << "replay_bench: the log is empty\n";
  return keys;
}

std::uint64_t read_only(storage::RocksDbEventLog& log) {
  std::uint64_t events = 0;
  placement::Position next{1};
  for (;;) {
    auto chunk = log.read_forward(next, 4096);
    if (!chunk || chunk.value().empty()) return events;
    events += chunk.value().size();
    next = placement::Position{chunk.value().back().position().value + 1};
  }
}

std::uint64_t visit_only(storage::RocksDbEventLog& log) {
  std::uint64_t events = 0, payload_bytes = 0;
  auto visited = log.visit_forward(placement::Position{1}, placement::Position{0},
                                   [&](const storage::StoredEventView& stored) -> placement::Status {
                                     auto envelope = storage::view_envelope(stored.envelope_bytes);
                                     if (!envelope) return placement::outcome::failure(envelope.error());
                                     ++events;
                                     payload_bytes += envelope.value().payload.size();
                                     return placement::ok();
                                   });
  if (!visited) {
    std::cerr << "replay_bench: visit failed: " << visited.error().message << "\n";
    std::exit(1);
  }
  if (payload_bytes == 0) std::cerr << "replay_bench: the log is empty\n";
  return events;
}

std::uint64_t decode_only(storage::RocksDbEventLog& log) {
  std::uint64_t events = 0;
  placement::domain::Event event;
  auto visited = log.visit_forward(placement::Position{1}, placement::Position{0},
                                   [&](const storage::StoredEventView& stored) -> placement::Status {
                                     auto envelope = storage::view_envelope(stored.envelope_bytes);
                                     if (!envelope) return placement::outcome::failure(envelope.error());
                                     const auto& [position, type, payload] = envelope.value();
                                     const auto decoded = placement::codec::decode_event_into(type, payload, event);
                                     if (!decoded)
                                       return placement::fail(placement::Errc::data_loss, "does not decode");
                                     ++events;
                                     return placement::ok();
                                   });
  if (!visited) {
    std::cerr << "replay_bench: decode failed: " << visited.error().message << "\n";
    std::exit(1);
  }
  return events;
}

std::uint64_t replay(storage::RocksDbEventLog& log) {
  ledger::ReadModel model;
  if (auto replayed = ledger::replay_into(model, log); !replayed) {
    std::cerr << "replay_bench: replay failed: " << replayed.error().message << "\n";
    std::exit(1);
  }
  return model.position.value;
}

}  // namespace

int main(int argc, char** argv) {
  using Kind = std::uint64_t (*)(storage::RocksDbEventLog&);
  const std::vector<std::pair<std::string, Kind>> all_kinds = {
      {"raw scan", raw_scan}, {"read", read_only}, {"visit", visit_only}, {"decode", decode_only}, {"replay", replay}};
  std::string data;
  int repeat = 5;
  std::string chosen = "raw scan,read,visit,decode,replay";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view arg = argv[i];
    if (arg == "--data") data = argv[i + 1];
    else if (arg == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
    else if (arg == "--kinds") chosen = argv[i + 1];
  }
  if (data.empty()) {
    std::cerr << "usage: replay_bench --data DIR [--repeat 5] [--kinds 'raw scan,read,visit,decode,replay']\n";
    return 2;
  }
  chosen = "," + chosen + ",";
  std::vector<std::pair<std::string, Kind>> kinds;  // in the order above, the ones asked for
  for (const auto& kind : all_kinds)
    if (chosen.find("," + kind.first + ",") != std::string::npos) kinds.push_back(kind);
  auto log = storage::RocksDbEventLog::open(data, {.create_if_missing = false, .min_free_bytes = 0});
  if (!log) {
    std::cerr << "replay_bench: cannot open " << data << ": " << log.error().message << "\n";
    return 1;
  }
  // Memory first, on a fresh process: the resident set before and after building the read model of
  // the whole log once (kept while measuring), then the timed runs.
  const long before_kb = status_kb("VmRSS:");
  std::uint64_t modelled = 0;
  long rss_kb = 0;
  double first_seconds = 0;
  {
    ledger::ReadModel model;
    const auto started = Clock::now();
    (void)ledger::replay_into(model, *log.value());
    first_seconds = seconds_since(started);
    modelled = model.position.value;
    rss_kb = status_kb("VmRSS:");
  }
  std::map<std::string, std::vector<double>> rates;  // kind → events/s per run
  std::uint64_t events = 0;
  for (int run = 0; run < repeat; ++run) {
    for (const auto& [name, measure] : kinds) {
      const auto started = Clock::now();
      events = measure(*log.value());
      rates[name].push_back(static_cast<double>(events) / seconds_since(started));
    }
  }
  const double raw = [&] {
    auto v = rates["raw scan"];  // empty when not asked for: ratios are then 0
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  }();
  for (auto& [kind, values] : rates) {
    if (values.empty()) continue;
    std::sort(values.begin(), values.end());
    const double median = values[values.size() / 2];
    std::printf("%s: %llu events, median %.0f events/s over %d runs (%.2f x raw scan), min %.0f, max %.0f\n",
                kind.c_str(), static_cast<unsigned long long>(events), median, repeat, raw > 0 ? median / raw : 0.0,
                values.front(), values.back());
    std::printf(
        "{\"bench\":\"replay_bench\",\"kind\":\"%s\",\"events\":%llu,\"median_events_per_s\":%.0f,"
        "\"ratio_to_raw\":%.3f,\"runs\":%d}\n",
        kind.c_str(), static_cast<unsigned long long>(events), median, raw > 0 ? median / raw : 0.0, repeat);
  }
  // The first replay, into a fresh heap as at a server's start; the timed runs above follow other
  // kinds, whose allocations leave the heap fragmented, and are a little slower for it.
  std::printf("first replay: %llu events at %.0f events/s in a fresh process\n",
              static_cast<unsigned long long>(modelled), static_cast<double>(modelled) / first_seconds);
  std::printf("{\"bench\":\"replay_bench\",\"kind\":\"first replay\",\"events\":%llu,\"events_per_s\":%.0f}\n",
              static_cast<unsigned long long>(modelled), static_cast<double>(modelled) / first_seconds);
  std::printf("memory: resident %ld MB with the read model of %llu events (%ld MB before building it)\n", rss_kb / 1024,
              static_cast<unsigned long long>(modelled), before_kb / 1024);
  std::printf("{\"bench\":\"replay_bench\",\"kind\":\"memory\",\"events\":%llu,\"rss_mb\":%ld,\"rss_before_mb\":%ld}\n",
              static_cast<unsigned long long>(modelled), rss_kb / 1024, before_kb / 1024);
  return 0;
}
