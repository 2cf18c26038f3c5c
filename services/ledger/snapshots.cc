#include "services/ledger/snapshots.h"

#include <chrono>
#include <future>

#include <spdlog/spdlog.h>

#include "services/codec/snapshot_codec.h"

namespace placement::ledger {

namespace {

using Clock = std::chrono::steady_clock;

long long milliseconds_since(Clock::time_point started) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
}

// The newest intact snapshot's bytes; nullopt (logged) when there is none or it cannot be read.
std::optional<storage::StoredSnapshot> read_snapshot(const storage::SnapshotStore& store, Position at_or_before) {
  auto stored = store.snapshot_at_or_before(at_or_before);
  if (!stored) {
    spdlog::warn("cannot read snapshots ({}); replaying the log from the start", stored.error().message);
    return std::nullopt;
  }
  return std::move(stored).value();
}

// Decodes a snapshot into a model. Stateless, so two threads may decode the same bytes at once.
Result<ReadModel> decode(const storage::StoredSnapshot& stored) {
  PLACEMENT_TRY(decoded, codec::decode_snapshot(stored.bytes));
  if (decoded.position != stored.position)
    return fail(Errc::data_loss, "it says it is of position " + std::to_string(decoded.position.value));
  ReadModel model;
  model.state = std::move(decoded.state);
  model.position = decoded.position;
  return model;
}

void warn_unusable(const storage::StoredSnapshot& stored, const Error& error) {
  spdlog::warn("not using the snapshot at position {}: {}; replaying the log from the start", stored.position.value,
               error.message);
}

}  // namespace

std::optional<ReadModel> load_snapshot(const storage::SnapshotStore& store, Position at_or_before) {
  const auto stored = read_snapshot(store, at_or_before);
  if (!stored) return std::nullopt;
  auto model = decode(*stored);
  if (!model) {
    warn_unusable(*stored, model.error());
    return std::nullopt;
  }
  return std::move(model).value();
}

std::optional<Ledger::Start> load_snapshot_for_ledger(storage::SnapshotStore& store, Position at_or_before) {
  const auto started = Clock::now();
  auto newest = store.newest_snapshot_or_discard(at_or_before);
  if (!newest) {
    spdlog::warn("cannot read snapshots ({}); replaying the log from the start", newest.error().message);
    return std::nullopt;
  }
  if (newest.value().discarded)
    spdlog::warn(
        "the snapshot at position {} does not match the log at that position (a stale or damaged "
        "snapshot): discarded it; rebuilding the views from the log's first event",
        newest.value().discarded->value);
  const auto& stored = newest.value().snapshot;
  if (!stored) return std::nullopt;
  const auto read_ms = milliseconds_since(started);
  const auto decoding = Clock::now();
  auto writer = std::async(std::launch::async, [&stored] { return decode(*stored); });
  auto published = decode(*stored);
  auto writer_model = writer.get();
  if (!published || !writer_model) {  // the same bytes, the same decoder: both fail alike
    warn_unusable(*stored, published ? writer_model.error() : published.error());
    return std::nullopt;
  }
  spdlog::info("read the snapshot at position {} ({} MiB) in {} ms, decoded it twice in parallel in {} ms",
               stored->position.value, stored->bytes.size() >> 20, read_ms, milliseconds_since(decoding));
  return Ledger::Start{std::move(published).value(), std::move(writer_model).value(), std::nullopt};
}

Result<Position> save_snapshot(const Ledger& ledger, storage::SnapshotStore& store) {
  auto [position, bytes] = ledger.read_model([](const ReadModel& model) {
    return std::pair(model.position, codec::encode_snapshot(model.state, model.position));
  });
  if (position.value == 0) return position;  // an empty log needs no snapshot
  PLACEMENT_TRY(store.put_snapshot(position, bytes));
  return position;
}

SnapshotTaker::SnapshotTaker(const Ledger& ledger, storage::SnapshotStore& store, std::uint64_t every_events,
                             Position last)
    : ledger_(ledger), store_(store), every_events_(every_events), last_(last) {
  if (every_events_ > 0) thread_ = std::thread([this] { run(); });
}

SnapshotTaker::~SnapshotTaker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SnapshotTaker::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
    if (ledger_.position().value < last_.value + every_events_) continue;
    lock.unlock();
    take();
    lock.lock();
  }
}

void SnapshotTaker::take() {
  const auto started = std::chrono::steady_clock::now();
  auto saved = save_snapshot(ledger_, store_);
  if (!saved) {
    // Not fatal: the log holds everything; the next restart replays further.
    spdlog::warn("no snapshot taken: {}", saved.error().message);
    return;
  }
  last_ = saved.value();
  spdlog::info(
      "snapshot of the read model at position {} in {} ms", last_.value,
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
}

void SnapshotTaker::stop_and_take_last() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (every_events_ > 0 && ledger_.position() != last_) take();
}

}  // namespace placement::ledger
