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
    erase.DeleteRange(&log_->merkle_family(), merkle_node_key(0, 0), std::string(9, '\xff'));
    erase.Delete(&log_->meta_family(), std::string(kMetaMerkleSize));
    ASSERT_TRUE(log_->db().Write(rocksdb::WriteOptions(), &erase).ok());
  }
  reopen();
  EXPECT_EQ(log_->merkle().size(), size);
  EXPECT_EQ(log_->merkle().root(size).value(), root);
  expect_tree_matches_reference();
}

// A tree behind the log (a build without the tree appended after it): caught up from its size.
TEST_F(MerkleTreeTest, ATreeBehindTheLogIsCaughtUpFromWhereItStopped) {
  grow_to(12);
  ASSERT_TRUE(
      log_->db().Put(rocksdb::WriteOptions(), &log_->meta_family(), std::string(kMetaMerkleSize), encode_u64(5)).ok());
  reopen();
  EXPECT_EQ(log_->merkle().size(), log_->head().position.value);
  expect_tree_matches_reference();
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
