// EtcdEventLog, the reads and the chain check. Safe from any thread, concurrently with append.
// Every read is linearizable (etcd confirms it with its leader), so it sees every transaction
// acknowledged before it began; read_forward and verify_chain stop at the head they read first.
#include <algorithm>

#include "etcd/etcdserver/etcdserverpb/rpc.pb.h"
#include "storage/etcd_event_log.h"
#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/log_records.h"

namespace placement::storage {
namespace {

// One stream run record: first position || event count.
struct Run {
  std::uint64_t first_version = 0;
  std::uint64_t first_position = 0;
  std::uint64_t count = 0;
};

std::optional<Run> decode_run(std::string_view key_suffix_version, std::string_view value) {
  if (value.size() != 16) return std::nullopt;
  const auto first_version = decode_u64(key_suffix_version);
  const auto first_position = decode_u64(value.substr(0, 8));
  const auto count = decode_u64(value.substr(8));
  if (!first_version || !first_position || !count || *count == 0) return std::nullopt;
  return Run{*first_version, *first_position, *count};
}

// The first key after every key that starts with prefix (etcd's range_end for a prefix).
std::string prefix_end(std::string prefix) {
  while (!prefix.empty()) {
    if (static_cast<unsigned char>(prefix.back()) != 0xff) {
      prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::string(1, '\0');  // every key
}

}  // namespace

Result<LoggedEvent> EtcdEventLog::read_at(std::uint64_t position) const {
  PLACEMENT_TRY(value, get(key("e/", encode_u64(position))));
  if (!value) return fail(Errc::not_found, "no event at position " + std::to_string(position));
  return decode_record(position, *value);
}

Result<std::vector<LoggedEvent>> EtcdEventLog::read_forward(Position from, std::size_t max) const {
  std::vector<LoggedEvent> events;
  const std::uint64_t last = head().position.value;  // never read past what is acknowledged
  std::uint64_t next = std::max<std::uint64_t>(from.value, 1);
  while (events.size() < max && next <= last) {
    const std::uint64_t want = std::min<std::uint64_t>({max - events.size(), kMaxRangeEvents, last - next + 1});
    etcdserverpb::RangeRequest request;
    request.set_key(key("e/", encode_u64(next)));
    request.set_range_end(key("e/", encode_u64(next + want)));
    request.set_limit(static_cast<std::int64_t>(want));
    PLACEMENT_TRY(response, client_->range(request));
    for (const auto& kv : response.kvs()) {
      const auto position = decode_u64(std::string_view(kv.key()).substr(key("e/", "").size()));
      if (!position || *position != next)
        return fail(Errc::data_loss, "the log in etcd has no event at position " + std::to_string(next));
      PLACEMENT_TRY(event, decode_record(*position, kv.value()));
      events.push_back(std::move(event));
      ++next;
    }
    if (static_cast<std::uint64_t>(response.kvs_size()) < want)
      return fail(Errc::data_loss, "the log in etcd has no event at position " + std::to_string(next));
  }
  return events;
}

Result<std::vector<LoggedEvent>> EtcdEventLog::read_stream(const std::string& stream_id, StreamVersion from,
                                                           std::size_t max) const {
  std::vector<LoggedEvent> events;
  if (max == 0) return events;
  const std::string prefix = key("s/", stream_prefix(stream_id));
  const std::uint64_t first = std::max<std::uint64_t>(from.value, 1);
  // The run holding `first` starts at or before it: the last run key at or below it.
  etcdserverpb::RangeRequest holding;
  holding.set_key(prefix);
  holding.set_range_end(key("s/", stream_key(stream_id, first + 1)));
  holding.set_sort_order(etcdserverpb::RangeRequest::DESCEND);
  holding.set_sort_target(etcdserverpb::RangeRequest::KEY);
  holding.set_limit(1);
  PLACEMENT_TRY(holding_runs, client_->range(holding));
  std::vector<Run> runs;
  auto add_runs = [&](const etcdserverpb::RangeResponse& response) -> Status {
    for (const auto& kv : response.kvs()) {
      auto run = decode_run(std::string_view(kv.key()).substr(prefix.size()), kv.value());
      if (!run) return fail(Errc::data_loss, "a stream run record of " + stream_id + " in etcd is malformed");
      runs.push_back(*run);
    }
    return ok();
  };
  PLACEMENT_TRY(add_runs(holding_runs));
  // The runs after it, in version order: each holds one event or more, so max of them suffice.
  etcdserverpb::RangeRequest later;
  later.set_key(key("s/", stream_key(stream_id, first + 1)));
  later.set_range_end(prefix_end(prefix));
  later.set_limit(static_cast<std::int64_t>(std::min<std::size_t>(max, kMaxRangeEvents)));
  PLACEMENT_TRY(later_runs, client_->range(later));
  PLACEMENT_TRY(add_runs(later_runs));
  for (const Run& run : runs) {
    const std::uint64_t start_version = std::max(first, run.first_version);
    if (start_version >= run.first_version + run.count) continue;
    const std::uint64_t offset = start_version - run.first_version;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(run.count - offset, max - events.size()));
    PLACEMENT_TRY(chunk, read_forward(Position{run.first_position + offset}, want));
    if (chunk.size() < want) break;  // a run past the head this read saw
    for (auto& event : chunk) events.push_back(std::move(event));
    if (events.size() >= max) break;
  }
  return events;
}

Result<StreamVersion> EtcdEventLog::stream_version(const std::string& stream_id) const {
  const std::string prefix = key("s/", stream_prefix(stream_id));
  etcdserverpb::RangeRequest request;
  request.set_key(prefix);
  request.set_range_end(prefix_end(prefix));
  request.set_sort_order(etcdserverpb::RangeRequest::DESCEND);
  request.set_sort_target(etcdserverpb::RangeRequest::KEY);
  request.set_limit(1);
  PLACEMENT_TRY(response, client_->range(request));
  if (response.kvs_size() == 0) return StreamVersion{0};
  const auto& kv = response.kvs(0);
  auto run = decode_run(std::string_view(kv.key()).substr(prefix.size()), kv.value());
  if (!run) return fail(Errc::data_loss, "a stream run record of " + stream_id + " in etcd is malformed");
  return StreamVersion{run->first_version + run->count - 1};
}

Result<std::optional<AppendResult>> EtcdEventLog::find_command(const std::string& command_id) const {
  PLACEMENT_TRY(value, get(key("c/", command_id)));
  if (!value) return std::optional<AppendResult>();
  auto decoded = detail::decode_command_record(*value);
  if (!decoded) return fail(Errc::data_loss, "the command record of " + command_id + " in etcd is malformed");
  return std::optional<AppendResult>(*decoded);
}

Result<ChainReport> EtcdEventLog::verify_chain(Position from, Position to) const {
  ChainReport report;
  const Head head = this->head();
  const std::uint64_t first = std::max<std::uint64_t>(from.value, 1);
  const std::uint64_t last = to.value == 0 ? head.position.value : std::min(to.value, head.position.value);
  std::string prev = genesis_hash();
  if (first > 1) {
    PLACEMENT_TRY(before, read_at(first - 1));
    prev = before.hash;
  }
  auto broken = [&](std::uint64_t position, std::string problem) {
    report.ok = false;
    report.first_bad = Position{position};
    report.problem = std::move(problem);
    return report;
  };
  std::uint64_t expected = first;
  while (expected <= last) {
    const std::uint64_t want = std::min<std::uint64_t>(kMaxRangeEvents, last - expected + 1);
    etcdserverpb::RangeRequest request;
    request.set_key(key("e/", encode_u64(expected)));
    request.set_range_end(key("e/", encode_u64(expected + want)));
    PLACEMENT_TRY(response, client_->range(request));
    if (response.kvs_size() == 0) break;
    for (const auto& kv : response.kvs()) {
      const auto position = decode_u64(std::string_view(kv.key()).substr(key("e/", "").size()));
      if (position != expected) return broken(expected, "event missing: next stored key is not consecutive");
      const std::string_view value = kv.value();
      if (value.size() < kHashSize) return broken(expected, "record shorter than its hash");
      const std::string_view stored_hash = value.substr(0, kHashSize);
      const std::string_view bytes = value.substr(kHashSize);
      if (chain_hash(prev, bytes) != stored_hash) return broken(expected, "hash does not match the stored bytes");
      v1::EventEnvelope envelope;
      if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        return broken(expected, "envelope does not parse");
      if (envelope.position() != expected) return broken(expected, "envelope names another position");
      if (envelope.prev_hash() != prev)
        return broken(expected, "envelope's prev_hash does not link to the previous event");
      prev.assign(stored_hash);
      ++report.checked;
      ++expected;
    }
  }
  if (expected <= last) return broken(expected, "event missing before the head");
  if (last == head.position.value && last >= first && prev != head.hash)
    return broken(last, "head record's hash differs from the last event's");
  report.head_hash = prev;
  return report;
}

}  // namespace placement::storage
