#include "storage/merkle_proof.h"

#include <bit>

#include "storage/merkle_hash.h"

namespace placement::storage {
namespace {

// The largest power of two strictly below n (n > 1): where RFC 6962 splits a tree of n leaves.
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

// PATH(m, D[begin:end]) as ranges, the deepest first (RFC 6962 2.1.1).
void add_path(std::uint64_t m, LeafRange range, std::vector<LeafRange>& out) {
  const std::uint64_t n = range.end - range.begin;
  if (n <= 1) return;
  const std::uint64_t k = split_point(n);
  if (m < k) {
    add_path(m, {range.begin, range.begin + k}, out);
    out.push_back({range.begin + k, range.end});
  } else {
    add_path(m - k, {range.begin + k, range.end}, out);
    out.push_back({range.begin, range.begin + k});
  }
}

// SUBPROOF(m, D[begin:end], whole) as ranges (RFC 6962 2.1.2).
void add_subproof(std::uint64_t m, LeafRange range, bool whole, std::vector<LeafRange>& out) {
  const std::uint64_t n = range.end - range.begin;
  if (m == n) {
    if (!whole) out.push_back(range);
    return;
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    add_subproof(m, {range.begin, range.begin + k}, whole, out);
    out.push_back({range.begin + k, range.end});
  } else {
    add_subproof(m - k, {range.begin + k, range.end}, false, out);
    out.push_back({range.begin, range.begin + k});
  }
}

}  // namespace

std::vector<SubtreeId> subtrees_of(LeafRange range) {
  std::vector<SubtreeId> subtrees;
  std::uint64_t start = range.begin;
  std::uint64_t remaining = range.end - range.begin;
  while (remaining > 0) {
    const int level = std::bit_width(remaining) - 1;
    subtrees.push_back({static_cast<std::uint8_t>(level), start >> level});
    start += std::uint64_t{1} << level;
    remaining -= std::uint64_t{1} << level;
  }
  return subtrees;
}

std::string range_hash(const std::vector<std::string>& subtree_hashes) {
  if (subtree_hashes.empty()) return merkle_empty_root();
  // MTH splits off the largest complete subtree on the left: fold from the right.
  std::string hash = subtree_hashes.back();
  for (auto it = subtree_hashes.rbegin() + 1; it != subtree_hashes.rend(); ++it) hash = merkle_node_hash(*it, hash);
  return hash;
}

Result<std::vector<LeafRange>> inclusion_ranges(std::uint64_t index, std::uint64_t size) {
  if (index >= size)
    return fail(Errc::invalid_argument,
                "leaf " + std::to_string(index) + " is not in a tree of " + std::to_string(size) + " leaves");
  std::vector<LeafRange> ranges;
  add_path(index, {0, size}, ranges);
  return ranges;
}

Result<std::vector<LeafRange>> consistency_ranges(std::uint64_t old_size, std::uint64_t new_size) {
  if (old_size == 0 || old_size > new_size)
    return fail(Errc::invalid_argument, "a consistency proof needs 0 < old size <= new size, not " +
                                            std::to_string(old_size) + " and " + std::to_string(new_size));
  std::vector<LeafRange> ranges;
  add_subproof(old_size, {0, new_size}, true, ranges);
  return ranges;
}

Result<std::vector<std::string>> hashes_of(const std::vector<LeafRange>& ranges, const SubtreeLookup& lookup) {
  std::vector<SubtreeId> wanted;
  std::vector<std::size_t> counts;
  for (const LeafRange& range : ranges) {
    auto subtrees = subtrees_of(range);
    counts.push_back(subtrees.size());
    wanted.insert(wanted.end(), subtrees.begin(), subtrees.end());
  }
  PLACEMENT_TRY(found, lookup(wanted));
  if (found.size() != wanted.size()) return fail(Errc::internal, "the subtree lookup answered the wrong count");
  std::vector<std::string> hashes;
  hashes.reserve(ranges.size());
  std::size_t next = 0;
  for (std::size_t count : counts) {
    std::vector<std::string> parts(found.begin() + next, found.begin() + next + count);
    next += count;
    hashes.push_back(range_hash(parts));
  }
  return hashes;
}

std::string inclusion_problem(std::uint64_t index, std::uint64_t size, std::string_view leaf_hash,
                              const std::vector<std::string>& path, std::string_view root) {
  if (index >= size) return "the leaf index is not below the tree size";
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : path) {
    if (p.size() != kMerkleHashSize) return "a proof hash is not 32 bytes";
    if (sn == 0) return "the proof is longer than the tree is deep";
    if ((fn & 1) == 1 || fn == sn) {
      r = merkle_node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = merkle_node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return "the proof is shorter than the tree is deep";
  if (r != root) return "the proof does not lead to the root hash";
  return {};
}

std::string consistency_problem(std::uint64_t old_size, std::uint64_t new_size, std::string_view old_root,
                                std::string_view new_root, const std::vector<std::string>& proof) {
  if (old_size == 0 || old_size > new_size) return "the sizes are not 0 < old size <= new size";
  if (old_size == new_size) {
    if (!proof.empty()) return "a proof between equal sizes must be empty";
    return old_root == new_root ? std::string() : "equal sizes with different root hashes";
  }
  for (const std::string& c : proof)
    if (c.size() != kMerkleHashSize) return "a proof hash is not 32 bytes";
  std::vector<std::string> path;
  // A power-of-two old tree is a complete subtree of the new one: its root starts the proof.
  if (std::has_single_bit(old_size)) path.emplace_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  if (path.empty()) return "the proof is empty";
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return "the proof is longer than the tree is deep";
    if ((fn & 1) == 1 || fn == sn) {
      fr = merkle_node_hash(c, fr);
      sr = merkle_node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = merkle_node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return "the proof is shorter than the tree is deep";
  if (fr != old_root) return "the proof does not lead to the old root hash";
  if (sr != new_root) return "the proof does not lead to the new root hash";
  return {};
}

}  // namespace placement::storage
