#include "services/placementd/snapshots.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "services/codec/snapshot_codec.h"

namespace placement::placementd {

std::optional<ReadModel> load_snapshot(const storage::SnapshotStore& store, Position at_or_before) {
  auto stored = store.snapshot_at_or_before(at_or_before);
  if (!stored) {
    spdlog::warn("cannot read snapshots ({}); replaying the log from the start", stored.error().message);
    return std::nullopt;
  }
  if (!stored.value()) return std::nullopt;
  auto decoded = codec::decode_snapshot(stored.value()->bytes);
  if (!decoded) {
    spdlog::warn("not using the snapshot at position {}: {}; replaying the log from the start",
                 stored.value()->position.value, decoded.error().message);
    return std::nullopt;
  }
  if (decoded.value().position != stored.value()->position) {
    spdlog::warn("the snapshot stored at position {} says it is of position {}; replaying the log from the start",
                 stored.value()->position.value, decoded.value().position.value);
    return std::nullopt;
  }
  ReadModel model;
  model.state = std::move(decoded.value().state);
  model.inputs = std::move(decoded.value().inputs);
  model.position = decoded.value().position;
  return model;
}

Result<Position> save_snapshot(const Ledger& ledger, storage::SnapshotStore& store) {
  auto [position, bytes] = ledger.read_model([](const ReadModel& model) {
    return std::pair(model.position, codec::encode_snapshot(model.state, model.inputs, model.position));
  });
  if (position.value == 0) return position;  // an empty log needs no snapshot
  if (auto put = store.put_snapshot(position, bytes); !put) return outcome::failure(put.error());
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
  spdlog::info("snapshot of the read model at position {} in {} ms", last_.value,
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

}  // namespace placement::placementd
