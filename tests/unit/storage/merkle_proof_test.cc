#include "storage/merkle_proof.h"

#include <map>
#include <random>

#include <gtest/gtest.h>

#include "storage/merkle_hash.h"
#include "storage/merkle_tree.h"
#include "tests/unit/storage/merkle_reference.h"

namespace placement::storage {
namespace {

namespace ref = testing::rfc6962;

// Every complete subtree of a list of leaves, as a store keeps them, built by the frontier.
class InMemoryTree {
 public:
  explicit InMemoryTree(const ref::Leaves& leaves) {
    for (const auto& leaf : leaves)
      frontier_.add(merkle_leaf_hash(leaf), [&](const SubtreeId& id, const std::string& hash) {
        nodes_[{id.level, id.index}] = hash;
      });
  }
  Result<std::vector<std::string>> lookup(const std::vector<SubtreeId>& ids) const {
    std::vector<std::string> out;
    for (const auto& id : ids) {
      auto it = nodes_.find({id.level, id.index});
      if (it == nodes_.end()) return fail(Errc::not_found, "no such subtree");
      out.push_back(it->second);
    }
    return out;
  }
  SubtreeLookup lookup_fn() const {
    return [this](const std::vector<SubtreeId>& ids) { return lookup(ids); };
  }
  std::string root(std::uint64_t size) const {
    auto hashes = lookup(subtrees_of({0, size}));
    return range_hash(hashes.value());
  }
  std::vector<std::string> inclusion(std::uint64_t index, std::uint64_t size) const {
    return hashes_of(inclusion_ranges(index, size).value(), lookup_fn()).value();
  }
  std::vector<std::string> consistency(std::uint64_t m, std::uint64_t n) const {
    return hashes_of(consistency_ranges(m, n).value(), lookup_fn()).value();
  }
  const MerkleFrontier& frontier() const { return frontier_; }

 private:
  MerkleFrontier frontier_;
  std::map<std::pair<int, std::uint64_t>, std::string> nodes_;
};

ref::Leaves random_leaves(std::size_t n, std::mt19937_64& rng) {
  ref::Leaves leaves;
  for (std::size_t i = 0; i < n; ++i) {
    std::string leaf(rng() % 40, '\0');
    for (auto& c : leaf) c = static_cast<char>(rng());
    leaves.push_back(std::move(leaf));
  }
  return leaves;
}

TEST(MerkleHash, FollowsRfc6962Prefixes) {
  EXPECT_EQ(merkle_empty_root(), ref::sha256(""));
  EXPECT_EQ(merkle_leaf_hash("abc"), ref::sha256(std::string(1, '\0') + "abc"));
  EXPECT_EQ(merkle_node_hash("l", "r"), ref::sha256("\1lr"));
}

// Known answer: the empty tree's root from RFC 6962 / RFC 9162 test vectors (SHA-256 of "").
TEST(MerkleHash, EmptyRootIsTheKnownSha256OfNothing) {
  static const unsigned char kEmpty[] = {0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
                                         0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
                                         0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55};
  EXPECT_EQ(merkle_empty_root(), std::string(reinterpret_cast<const char*>(kEmpty), sizeof kEmpty));
}

// Roots, every inclusion proof of every size, and every consistency proof between sizes, for
// random logs of many sizes, equal the RFC's recursive definitions and verify.
TEST(MerkleProof, RootsAndProofsEqualTheRfcDefinitionsForEverySizeAndPosition) {
  std::mt19937_64 rng(6962);
  for (std::size_t n : {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 32, 33, 47, 64, 65, 100}) {
    const ref::Leaves leaves = random_leaves(n, rng);
    const InMemoryTree tree(leaves);
    ASSERT_EQ(tree.frontier().size(), n);
    EXPECT_EQ(tree.frontier().root(), ref::mth(leaves)) << n;
    for (std::size_t size = 1; size <= n; ++size) {
      const ref::Leaves prefix = ref::slice(leaves, 0, size);
      const std::string root = ref::mth(prefix);
      ASSERT_EQ(tree.root(size), root) << "size " << size;
      for (std::size_t m = 0; m < size; ++m) {
        const auto path = tree.inclusion(m, size);
        ASSERT_EQ(path, ref::path(m, prefix)) << "leaf " << m << " of " << size;
        ASSERT_EQ(inclusion_problem(m, size, merkle_leaf_hash(leaves[m]), path, root), "")
            << "leaf " << m << " of " << size;
      }
      for (std::size_t m = 1; m <= size; ++m) {
        const auto proof = tree.consistency(m, size);
        ASSERT_EQ(proof, ref::proof(m, prefix)) << m << " → " << size;
        ASSERT_EQ(consistency_problem(m, size, ref::mth(ref::slice(leaves, 0, m)), root, proof), "")
            << m << " → " << size;
      }
    }
  }
}

TEST(MerkleProof, LargerRandomLogsAgreeAtRandomPositions) {
  std::mt19937_64 rng(9162);
  for (std::size_t n : {255, 256, 257, 1000, 1023, 1025}) {
    const ref::Leaves leaves = random_leaves(n, rng);
    const InMemoryTree tree(leaves);
    const std::string root = ref::mth(leaves);
    for (int trial = 0; trial < 40; ++trial) {
      const std::size_t m = rng() % n;
      EXPECT_EQ(tree.inclusion(m, n), ref::path(m, leaves));
      const std::size_t old_size = 1 + rng() % n;
      EXPECT_EQ(tree.consistency(old_size, n), ref::proof(old_size, leaves));
    }
    EXPECT_EQ(tree.root(n), root);
  }
}

// An altered leaf, a leaf moved to another position, a dropped leaf, or an altered proof hash
// does not verify.
TEST(MerkleProof, InclusionRejectsAlteredMovedAndDroppedLeaves) {
  std::mt19937_64 rng(1);
  const ref::Leaves leaves = random_leaves(37, rng);
  const InMemoryTree tree(leaves);
  const std::string root = tree.root(37);
  for (std::size_t m = 0; m < 37; ++m) {
    const auto path = tree.inclusion(m, 37);
    std::string altered = leaves[m];
    altered.push_back('x');
    EXPECT_NE(inclusion_problem(m, 37, merkle_leaf_hash(altered), path, root), "") << m;
    // The same leaf claimed at another position.
    EXPECT_NE(inclusion_problem((m + 1) % 37, 37, merkle_leaf_hash(leaves[m]), path, root), "") << m;
    // Two leaves swapped (reordered log): the swapped leaf no longer proves at m.
    if (leaves[m] != leaves[(m + 1) % 37]) {
      EXPECT_NE(inclusion_problem(m, 37, merkle_leaf_hash(leaves[(m + 1) % 37]), path, root), "") << m;
    }
    for (std::size_t i = 0; i < path.size(); ++i) {
      auto bad = path;
      bad[i][0] = static_cast<char>(bad[i][0] ^ 1);
      EXPECT_NE(inclusion_problem(m, 37, merkle_leaf_hash(leaves[m]), bad, root), "") << m << " hash " << i;
    }
    if (!path.empty()) {
      auto shorter = path;
      shorter.pop_back();
      EXPECT_NE(inclusion_problem(m, 37, merkle_leaf_hash(leaves[m]), shorter, root), "");
      auto longer = path;
      longer.push_back(path.back());
      EXPECT_NE(inclusion_problem(m, 37, merkle_leaf_hash(leaves[m]), longer, root), "");
    }
  }
  // A log with one event dropped has another root: the old proofs fail against it.
  ref::Leaves dropped = leaves;
  dropped.erase(dropped.begin() + 10);
  const InMemoryTree shorter(dropped);
  EXPECT_NE(shorter.root(36), tree.root(36));
  EXPECT_NE(inclusion_problem(20, 36, merkle_leaf_hash(leaves[20]), tree.inclusion(20, 37), shorter.root(36)), "");
  EXPECT_NE(inclusion_problem(0, 37, merkle_leaf_hash(leaves[0]), tree.inclusion(0, 37), root + "x"), "");
  EXPECT_NE(inclusion_problem(37, 37, merkle_leaf_hash(leaves[0]), {}, root), "");
}

// A rewritten history (a leaf before the old size changed, dropped or reordered) is not
// consistent with the old root, whatever proof the new tree gives.
TEST(MerkleProof, ConsistencyRejectsRewrittenHistory) {
  std::mt19937_64 rng(2);
  const ref::Leaves leaves = random_leaves(50, rng);
  const InMemoryTree honest(leaves);
  for (std::size_t old_size = 1; old_size < 50; ++old_size) {
    const std::string old_root = honest.root(old_size);
    for (std::size_t changed : {std::size_t{0}, old_size / 2, old_size - 1}) {
      ref::Leaves rewritten = leaves;
      rewritten[changed] += "!";
      const InMemoryTree forged(rewritten);
      EXPECT_NE(consistency_problem(old_size, 50, old_root, forged.root(50), forged.consistency(old_size, 50)), "")
          << old_size << " with leaf " << changed << " changed";
    }
    ref::Leaves reordered = leaves;
    std::swap(reordered[0], reordered[old_size]);
    const InMemoryTree swapped(reordered);
    EXPECT_NE(consistency_problem(old_size, 50, old_root, swapped.root(50), swapped.consistency(old_size, 50)), "");
    ref::Leaves dropped = leaves;
    dropped.erase(dropped.begin() + static_cast<std::ptrdiff_t>(old_size - 1));
    const InMemoryTree without(dropped);
    EXPECT_NE(consistency_problem(old_size, 49, old_root, without.root(49), without.consistency(old_size, 49)), "");
    // Altered proof hashes.
    auto proof = honest.consistency(old_size, 50);
    for (std::size_t i = 0; i < proof.size(); ++i) {
      auto bad = proof;
      bad[i][5] = static_cast<char>(bad[i][5] ^ 0x40);
      EXPECT_NE(consistency_problem(old_size, 50, old_root, honest.root(50), bad), "") << old_size << " " << i;
    }
  }
  EXPECT_NE(consistency_problem(0, 5, "", honest.root(5), {}), "");
  EXPECT_NE(consistency_problem(6, 5, honest.root(6), honest.root(5), {}), "");
  EXPECT_EQ(consistency_problem(5, 5, honest.root(5), honest.root(5), {}), "");
  EXPECT_NE(consistency_problem(5, 5, honest.root(5), honest.root(4), {}), "");
}

TEST(MerkleProof, BadArgumentsAreRefused) {
  EXPECT_FALSE(inclusion_ranges(3, 3));
  EXPECT_FALSE(inclusion_ranges(0, 0));
  EXPECT_FALSE(consistency_ranges(0, 3));
  EXPECT_FALSE(consistency_ranges(4, 3));
  EXPECT_TRUE(consistency_ranges(3, 3).value().empty());
}

}  // namespace
}  // namespace placement::storage
