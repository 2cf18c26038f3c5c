#include "storage/merkle_tree.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/merkle_family_options.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {
namespace {

// Leaves per synced batch while catching up: bounded memory, few fsyncs.
constexpr std::uint64_t kCatchUpBatch = 65'536;

constexpr std::size_t kMerkleBlockCacheBytes = std::size_t{64} << 20;

// The peaks of a tree of size leaves, largest first: one per set bit of size.
std::vector<SubtreeId> peaks_of(std::uint64_t size) { return subtrees_of(LeafRange{0, size}); }

}  // namespace

rocksdb::ColumnFamilyOptions merkle_family_options() {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(kMerkleBlockCacheBytes);
  table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.compression = rocksdb::kNoCompression;
  return options;
}

std::string MerkleFrontier::root() const {
  std::vector<std::string> hashes;
  hashes.reserve(peaks_.size());
  for (const Peak& peak : peaks_) hashes.push_back(peak.hash);
  return range_hash(hashes);
}

Status MerkleTree::open(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* nodes, rocksdb::ColumnFamilyHandle* events,
                        rocksdb::ColumnFamilyHandle* meta) {
  db_ = &db;
  nodes_ = nodes;
  events_ = events;
  std::string ignored;
  const rocksdb::Status first_layout = db.Get(rocksdb::ReadOptions(), meta, std::string(kMetaMerkleSize), &ignored);
  if (first_layout.ok()) {
    PLACEMENT_TRY(discard_first_layout(*meta));
  } else if (!first_layout.IsNotFound()) {
    return outcome::failure(from_rocksdb(first_layout, "cannot read the Merkle tree's layout"));
  }
  PLACEMENT_TRY(size, stored_size());
  const auto ids = peaks_of(size);
  PLACEMENT_TRY(hashes, subtree_hashes(ids));
  std::vector<MerkleFrontier::Peak> peaks;
  for (std::size_t i = 0; i < ids.size(); ++i) peaks.push_back({ids[i].level, std::move(hashes[i])});
  frontier_ = MerkleFrontier(size, std::move(peaks));
  return ok();
}

Result<std::uint64_t> MerkleTree::stored_size() const {
  std::unique_ptr<rocksdb::Iterator> last(db_->NewIterator(rocksdb::ReadOptions(), nodes_));
  last->SeekToLast();
  if (!last->Valid()) {
    if (!last->status().ok()) return outcome::failure(from_rocksdb(last->status(), "cannot read the Merkle tree"));
    return std::uint64_t{0};
  }
  const auto leaf = merkle_key_last_leaf(std::string_view(last->key().data(), last->key().size()));
  if (!leaf) return fail(Errc::data_loss, "the Merkle tree's last key is malformed");
  // Leaves are not stored, so a last leaf that completed no pair may be covered too; adding it
  // again (catch_up) stores nothing, so the tree restarts safely after the last stored node.
  return *leaf + 1;
}

Status MerkleTree::discard_first_layout(rocksdb::ColumnFamilyHandle& meta) {
  spdlog::info("the Merkle tree is stored in its first layout; rebuilding it from the log");
  rocksdb::WriteBatch discard;
  discard.DeleteRange(nodes_, rocksdb::Slice(), std::string(10, '\xff'));
  discard.Delete(&meta, std::string(kMetaMerkleSize));
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (const rocksdb::Status written = db_->Write(sync, &discard); !written.ok())
    return outcome::failure(from_rocksdb(written, "cannot discard the Merkle tree's first layout"));
  // Drops the deleted nodes' files now rather than at some later compaction.
  if (const rocksdb::Status compacted = db_->CompactRange(rocksdb::CompactRangeOptions(), nodes_, nullptr, nullptr);
      !compacted.ok())
    return outcome::failure(from_rocksdb(compacted, "cannot compact the Merkle tree's first layout away"));
  return ok();
}

Status MerkleTree::catch_up(const EventLog& log, std::uint64_t head) {
  if (size() > head)
    return fail(Errc::data_loss, "the Merkle tree covers " + std::to_string(size()) + " leaves but the log has only " +
                                     std::to_string(head) + " events");
  while (size() < head) {
    const std::uint64_t last = std::min(head, size() + kCatchUpBatch);
    Append append = begin_append();
    rocksdb::WriteBatch batch;
    PLACEMENT_TRY(log.visit_forward(Position{size() + 1}, Position{last}, [&](const StoredEventView& event) -> Status {
      if (event.position.value != append.size() + 1)
        return fail(Errc::data_loss, "the log skips from position " + std::to_string(append.size()) + " to " +
                                         std::to_string(event.position.value));
      add_leaf(append, event.envelope_bytes, batch);
      return ok();
    }));
    if (append.size() != last)
      return fail(Errc::data_loss,
                  "the log ends at " + std::to_string(append.size()) + ", before its head " + std::to_string(head));
    rocksdb::WriteOptions sync;
    sync.sync = true;
    if (const rocksdb::Status written = db_->Write(sync, &batch); !written.ok())
      return outcome::failure(from_rocksdb(written, "cannot write the Merkle tree"));
    commit(std::move(append));
  }
  return ok();
}

void MerkleTree::add_leaf(Append& append, std::string_view leaf_bytes, rocksdb::WriteBatch& batch) const {
  append.frontier_.add(merkle_leaf_hash(leaf_bytes), [&](const SubtreeId& id, const std::string& hash) {
    if (id.level > 0) batch.Put(nodes_, merkle_node_key(id.level, id.index), hash);
  });
}

Result<std::vector<std::string>> MerkleTree::subtree_hashes(const std::vector<SubtreeId>& ids) const {
  // One MultiGet for all: a leaf's hash from its event's stored record (hash || envelope bytes),
  // every larger subtree's from the merkle family.
  std::vector<std::string> keys;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  keys.reserve(ids.size());
  families.reserve(ids.size());
  for (const SubtreeId& id : ids) {
    keys.push_back(id.level == 0 ? event_key(id.index + 1) : merkle_node_key(id.level, id.index));
    families.push_back(id.level == 0 ? events_ : nodes_);
  }
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<std::string> values;
  const std::vector<rocksdb::Status> statuses = db_->MultiGet(rocksdb::ReadOptions(), families, slices, &values);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (statuses[i].IsNotFound())
      return fail(Errc::data_loss, ids[i].level == 0
                                       ? "the log lacks the event of leaf " + std::to_string(ids[i].index)
                                       : "the Merkle tree lacks the subtree at level " + std::to_string(ids[i].level) +
                                             ", index " + std::to_string(ids[i].index));
    if (!statuses[i].ok()) return outcome::failure(from_rocksdb(statuses[i], "cannot read the Merkle tree"));
    if (ids[i].level == 0) {
      if (values[i].size() < kHashSize) return fail(Errc::data_loss, "a stored event is shorter than its hash");
      values[i] = merkle_leaf_hash(std::string_view(values[i]).substr(kHashSize));
    } else if (values[i].size() != kMerkleHashSize) {
      return fail(Errc::data_loss, "a stored Merkle hash is not 32 bytes");
    }
  }
  return values;
}

Result<std::string> MerkleTree::root(std::uint64_t size) const {
  PLACEMENT_TRY(hashes, subtree_hashes(peaks_of(size)));
  return range_hash(hashes);
}

Result<std::vector<std::string>> MerkleTree::inclusion_proof(std::uint64_t index, std::uint64_t size) const {
  PLACEMENT_TRY(ranges, inclusion_ranges(index, size));
  return hashes_of(ranges, [this](const std::vector<SubtreeId>& ids) { return subtree_hashes(ids); });
}

Result<std::vector<std::string>> MerkleTree::consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const {
  PLACEMENT_TRY(ranges, consistency_ranges(old_size, new_size));
  return hashes_of(ranges, [this](const std::vector<SubtreeId>& ids) { return subtree_hashes(ids); });
}

}  // namespace placement::storage
