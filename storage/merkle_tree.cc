#include "storage/merkle_tree.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

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

Status MerkleTree::open(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* nodes, rocksdb::ColumnFamilyHandle* meta) {
  db_ = &db;
  nodes_ = nodes;
  meta_ = meta;
  std::string value;
  const rocksdb::Status got = db.Get(rocksdb::ReadOptions(), meta, std::string(kMetaMerkleSize), &value);
  std::uint64_t size = 0;
  if (got.ok()) {
    auto decoded = decode_u64(value);
    if (!decoded) return fail(Errc::data_loss, "the Merkle tree's size record is malformed");
    size = *decoded;
  } else if (!got.IsNotFound()) {
    return outcome::failure(from_rocksdb(got, "cannot read the Merkle tree's size"));
  }
  const auto ids = peaks_of(size);
  PLACEMENT_TRY(hashes, subtree_hashes(ids));
  std::vector<MerkleFrontier::Peak> peaks;
  for (std::size_t i = 0; i < ids.size(); ++i) peaks.push_back({ids[i].level, std::move(hashes[i])});
  frontier_ = MerkleFrontier(size, std::move(peaks));
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
    finish(append, batch);
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
    batch.Put(nodes_, merkle_node_key(id.level, id.index), hash);
  });
}

void MerkleTree::finish(const Append& append, rocksdb::WriteBatch& batch) const {
  batch.Put(meta_, std::string(kMetaMerkleSize), encode_u64(append.size()));
}

Result<std::vector<std::string>> MerkleTree::subtree_hashes(const std::vector<SubtreeId>& ids) const {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (const SubtreeId& id : ids) keys.push_back(merkle_node_key(id.level, id.index));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::ColumnFamilyHandle*> families(ids.size(), nodes_);
  std::vector<std::string> values;
  const std::vector<rocksdb::Status> statuses = db_->MultiGet(rocksdb::ReadOptions(), families, slices, &values);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (statuses[i].IsNotFound())
      return fail(Errc::data_loss, "the Merkle tree lacks the subtree at level " + std::to_string(ids[i].level) +
                                       ", index " + std::to_string(ids[i].index));
    if (!statuses[i].ok()) return outcome::failure(from_rocksdb(statuses[i], "cannot read the Merkle tree"));
    if (values[i].size() != kMerkleHashSize) return fail(Errc::data_loss, "a stored Merkle hash is not 32 bytes");
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
