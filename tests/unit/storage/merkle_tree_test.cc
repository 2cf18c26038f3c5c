// The Merkle tree as the RocksDB log keeps it: in the append's own batch, across reopens, and
// caught up from the events when a folder has none.
#include "storage/merkle_tree.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "storage/keys.h"
#include "storage/merkle_hash.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/storage/merkle_reference.h"

namespace placement::storage {
namespace {

namespace ref = testing::rfc6962;

AppendRequest request(std::string command_id, int events) {
  AppendRequest r;
  r.command_id = std::move(command_id);
  r.actor.set_subject("tester");
  r.actor.set_role(v1::ROLE_ADMIN);
  r.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  StreamAppend s{"stream-" + r.command_id, ExpectedVersion::any(), {}};
  for (int i = 0; i < events; ++i) s.events.push_back(NewEvent{"TestEvent", "payload-" + std::to_string(i)});
  r.streams.push_back(std::move(s));
  return r;
}

class MerkleTreeTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    log_.reset();
    auto opened = RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
  }
  // Appends batches of commands of 1..3 events until the log has at least n events.
  void grow_to(std::uint64_t n) {
    int command = static_cast<int>(log_->head().position.value);
    while (log_->head().position.value < n) {
      std::vector<AppendRequest> batch;
      for (int i = 0; i < 1 + command % 4; ++i, ++command)
        batch.push_back(request("c" + std::to_string(command), 1 + command % 3));
      const auto outcome = log_->append(std::move(batch));
      for (const auto& result : outcome.results) ASSERT_TRUE(result) << result.error().message;
    }
  }
  // The envelope bytes of every event: the leaves.
  ref::Leaves leaves() const {
    ref::Leaves out;
    const auto events = log_->read_forward(Position{1}, 1'000'000).value();
    for (const auto& event : events) out.push_back(event.envelope_bytes);
    return out;
  }
  void expect_tree_matches_reference() {
    const ref::Leaves all = leaves();
    ASSERT_EQ(log_->merkle().size(), all.size());
    for (std::size_t size = 1; size <= all.size(); ++size) {
      const ref::Leaves prefix = ref::slice(all, 0, size);
      ASSERT_EQ(log_->merkle().root(size).value(), ref::mth(prefix)) << size;
      for (std::size_t m = 0; m < size; m += 1 + size / 7)
        ASSERT_EQ(log_->merkle().inclusion_proof(m, size).value(), ref::path(m, prefix)) << m << " of " << size;
      for (std::size_t m = 1; m <= size; m += 1 + size / 5)
        ASSERT_EQ(log_->merkle().consistency_proof(m, size).value(), ref::proof(m, prefix)) << m << " → " << size;
    }
  }
  testing::TempDir dir_;
  std::unique_ptr<RocksDbEventLog> log_;
};

TEST_F(MerkleTreeTest, EmptyLogHasTheEmptyRoot) {
  EXPECT_EQ(log_->merkle().size(), 0u);
  EXPECT_EQ(log_->merkle().root(0).value(), merkle_empty_root());
}

TEST_F(MerkleTreeTest, EveryAppendKeepsTheTreeEqualToTheReferenceOverTheStoredBytes) {
  grow_to(70);
  expect_tree_matches_reference();
}

TEST_F(MerkleTreeTest, TheTreeSurvivesReopenAndKeepsGrowing) {
  grow_to(21);
  reopen();
  EXPECT_EQ(log_->merkle().size(), log_->head().position.value);
  grow_to(45);
  expect_tree_matches_reference();
}

TEST_F(MerkleTreeTest, ARefusedRequestAddsNoLeaf) {
  grow_to(5);
  const std::string root = log_->merkle().root(log_->head().position.value).value();
  AppendRequest conflicting = request("refused", 1);
  conflicting.streams[0].expected = ExpectedVersion::exactly(99);
  std::vector<AppendRequest> batch;
  batch.push_back(std::move(conflicting));
  EXPECT_FALSE(log_->append(std::move(batch)).results[0]);
  EXPECT_EQ(log_->merkle().size(), log_->head().position.value);
  EXPECT_EQ(log_->merkle().root(log_->head().position.value).value(), root);
}

// A folder written before the tree existed: no merkle family content and no size record. The
// next open builds the tree from the stored events, and the roots are those of the events.
TEST_F(MerkleTreeTest, AFolderWithoutTheTreeIsCaughtUpOnOpen) {
  grow_to(40);
  const std::uint64_t size = log_->head().position.value;
  const std::string root = log_->merkle().root(size).value();
  {
    rocksdb::WriteBatch erase;
    erase.DeleteRange(&log_->merkle_family(), merkle_node_key(0, 0), std::string(10, '\xff'));
    ASSERT_TRUE(log_->db().Write(rocksdb::WriteOptions(), &erase).ok());
  }
  reopen();
  EXPECT_EQ(log_->merkle().size(), size);
  EXPECT_EQ(log_->merkle().root(size).value(), root);
  expect_tree_matches_reference();
}

// A tree behind the log (a build without the tree appended after it): the nodes of leaves 5 and
// later are missing, and the tree is caught up from leaf 5.
TEST_F(MerkleTreeTest, ATreeBehindTheLogIsCaughtUpFromWhereItStopped) {
  grow_to(12);
  ASSERT_TRUE(
      log_->db()
          .DeleteRange(rocksdb::WriteOptions(), &log_->merkle_family(), merkle_node_key(0, 5), std::string(10, '\xff'))
          .ok());
  reopen();
  EXPECT_EQ(log_->merkle().size(), log_->head().position.value);
  expect_tree_matches_reference();
}

// Nodes are keyed by their last leaf, then level: an append's nodes sort after every earlier one.
TEST_F(MerkleTreeTest, NodeKeysSortByLastLeafThenLevel) {
  EXPECT_EQ(merkle_node_key(0, 6), encode_u64(6) + std::string(1, '\0'));
  EXPECT_EQ(merkle_node_key(3, 0), encode_u64(7) + std::string(1, '\3'));
  // Leaf 7 completes the subtrees of leaves 6..7, 4..7 and 0..7, in that order, then leaf 8 follows.
  EXPECT_LT(merkle_node_key(2, 0), merkle_node_key(0, 7));
  EXPECT_LT(merkle_node_key(0, 7), merkle_node_key(1, 3));
  EXPECT_LT(merkle_node_key(1, 3), merkle_node_key(2, 1));
  EXPECT_LT(merkle_node_key(2, 1), merkle_node_key(3, 0));
  EXPECT_LT(merkle_node_key(3, 0), merkle_node_key(0, 8));
  EXPECT_EQ(merkle_key_last_leaf(merkle_node_key(4, 2)), 47u);
  EXPECT_EQ(merkle_key_last_leaf("short"), std::nullopt);
}

// A folder whose tree is in the first layout (level || index keys and a size record, written by
// 51bad6d..5708923): the first layout is discarded and the tree rebuilt from the log, once.
TEST_F(MerkleTreeTest, ATreeInTheFirstLayoutIsRebuiltOnOpen) {
  grow_to(20);
  const std::uint64_t size = log_->head().position.value;
  const std::string root = log_->merkle().root(size).value();
  {
    rocksdb::WriteBatch first_layout;
    first_layout.DeleteRange(&log_->merkle_family(), merkle_node_key(0, 0), std::string(10, '\xff'));
    for (std::uint8_t level = 0; (size >> level) > 0; ++level)  // the first layout stored the leaves too
      for (std::uint64_t index = 0; index < (size >> level); ++index) {
        const std::string hash = log_->merkle().subtree_hashes({SubtreeId{level, index}}).value().front();
        first_layout.Put(&log_->merkle_family(), std::string(1, static_cast<char>(level)) + encode_u64(index), hash);
      }
    first_layout.Put(&log_->meta_family(), std::string(kMetaMerkleSize), encode_u64(size));
    ASSERT_TRUE(log_->db().Write(rocksdb::WriteOptions(), &first_layout).ok());
  }
  reopen();
  EXPECT_EQ(log_->merkle().size(), size);
  EXPECT_EQ(log_->merkle().root(size).value(), root);
  expect_tree_matches_reference();
  std::string ignored;
  EXPECT_TRUE(log_->db()
                  .Get(rocksdb::ReadOptions(), &log_->meta_family(), std::string(kMetaMerkleSize), &ignored)
                  .IsNotFound());
  // Only the new layout's nodes are left: one per complete subtree of two leaves or more.
  std::uint64_t stored = 0, expected = 0;
  for (std::uint8_t level = 1; (size >> level) > 0; ++level) expected += size >> level;
  {
    std::unique_ptr<rocksdb::Iterator> it(log_->db().NewIterator(rocksdb::ReadOptions(), &log_->merkle_family()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++stored;
  }
  EXPECT_EQ(stored, expected);
  reopen();  // and not again
  EXPECT_EQ(log_->merkle().root(size).value(), root);
}

TEST_F(MerkleTreeTest, ASubtreeMissingFromTheStoreIsDataLoss) {
  grow_to(8);
  ASSERT_TRUE(log_->db().Delete(rocksdb::WriteOptions(), &log_->merkle_family(), merkle_node_key(1, 1)).ok());
  const auto proof = log_->merkle().inclusion_proof(0, 8);
  ASSERT_FALSE(proof);
  EXPECT_EQ(proof.error().code, Errc::data_loss);
}

}  // namespace
}  // namespace placement::storage
