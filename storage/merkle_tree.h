#pragma once
// The log's Merkle tree (RFC 6962) in the RocksDB store, beside the hash chain. Leaf i is the
// stored envelope bytes of the event at position i + 1.
//
// Stored: the `merkle` family keeps the hash of every complete subtree of two leaves or more,
// keyed by its last leaf and its level (merkle_node_key); a leaf's hash is computed from its
// event's stored record when a proof needs it. So any root or proof is O(log n) point reads (one
// MultiGet over both families), an append writes about one node per event, in key order, and
// the family's last key says how many leaves it covers. The nodes are written in the append's
// own WriteBatch, so the tree always covers exactly the durable log. A log written before the
// tree existed (or by a build without it) is caught up from the events on open; a tree in the
// first layout (level || index keys, leaves stored, a `merkle-size` record) is discarded and
// rebuilt from the log on open, once.
//
// Threads: open and catch_up run before any other call; add_leaf and commit on the single
// writer only (they touch the frontier); root, inclusion_proof and consistency_proof from any
// thread, for tree sizes up to the log's published head (whose nodes are durable).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"
#include "storage/event_log.h"
#include "storage/merkle_hash.h"
#include "storage/merkle_proof.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace placement::storage {

// The right edge of a tree: the hashes of its complete subtrees ("peaks"), largest first, one per
// binary digit of the size. Appending a leaf merges equal peaks; each subtree it completes is
// handed to the sink to be stored. Pure.
class MerkleFrontier {
 public:
  struct Peak {
    std::uint8_t level = 0;
    std::string hash;
  };
  MerkleFrontier() = default;
  MerkleFrontier(std::uint64_t size, std::vector<Peak> peaks) : size_(size), peaks_(std::move(peaks)) {}

  // Adds the leaf with this leaf hash; sink(id, hash) for the leaf and every subtree it completes.
  template <class Sink> void add(std::string leaf_hash, Sink&& sink);

  std::uint64_t size() const { return size_; }
  const std::vector<Peak>& peaks() const { return peaks_; }
  // The root hash of the tree of size() leaves.
  std::string root() const;

 private:
  std::uint64_t size_ = 0;
  std::vector<Peak> peaks_;
};

class MerkleTree {
 public:
  // Reads the covered size and the frontier (O(log n) reads); discards a first-layout tree
  // (catch_up then rebuilds it). nodes is the merkle family; events holds the log's records,
  // keyed by position (event_key), each its chain hash then its envelope bytes.
  Status open(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* nodes, rocksdb::ColumnFamilyHandle* events,
              rocksdb::ColumnFamilyHandle* meta);

  // Adds the leaves of the events after size() up to head, in synced batches. Before any append.
  Status catch_up(const EventLog& log, std::uint64_t head);

  // Leaves the tree covers; writer thread (or before any append).
  std::uint64_t size() const { return frontier_.size(); }

  // One append's additions: the frontier as the batch leaves it, and what it wrote.
  class Append {
   public:
    std::uint64_t size() const { return frontier_.size(); }

   private:
    friend class MerkleTree;
    explicit Append(MerkleFrontier frontier) : frontier_(std::move(frontier)) {}
    MerkleFrontier frontier_;
  };
  Append begin_append() const { return Append(frontier_); }
  // Puts every subtree of two leaves or more that the leaf completes into batch. Writer thread.
  void add_leaf(Append& append, std::string_view leaf_bytes, rocksdb::WriteBatch& batch) const;
  // After the batch is durable. Writer thread.
  void commit(Append append) { frontier_ = std::move(append.frontier_); }

  // Reads from any thread; size must not exceed the log's published head.
  Result<std::string> root(std::uint64_t size) const;
  Result<std::vector<std::string>> inclusion_proof(std::uint64_t index, std::uint64_t size) const;
  Result<std::vector<std::string>> consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const;
  // The hashes of complete subtrees, a leaf's from its event (tests and tools).
  Result<std::vector<std::string>> subtree_hashes(const std::vector<SubtreeId>& ids) const;

 private:
  // The leaves the family covers: one past the last leaf its last key names.
  Result<std::uint64_t> stored_size() const;
  Status discard_first_layout(rocksdb::ColumnFamilyHandle& meta);

  rocksdb::DB* db_ = nullptr;
  rocksdb::ColumnFamilyHandle* nodes_ = nullptr;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  MerkleFrontier frontier_;
};

template <class Sink> void MerkleFrontier::add(std::string leaf_hash, Sink&& sink) {
  std::uint8_t level = 0;
  std::uint64_t index = size_;
  sink(SubtreeId{level, index}, leaf_hash);
  std::string hash = std::move(leaf_hash);
  while (!peaks_.empty() && peaks_.back().level == level) {
    hash = merkle_node_hash(peaks_.back().hash, hash);
    peaks_.pop_back();
    ++level;
    index >>= 1;
    sink(SubtreeId{level, index}, hash);
  }
  peaks_.push_back(Peak{level, std::move(hash)});
  ++size_;
}

}  // namespace placement::storage
