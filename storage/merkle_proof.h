#pragma once
// RFC 6962 / RFC 9162 Merkle proofs, without storage: which subtrees a root, an inclusion proof or
// a consistency proof is made of, how they are put together, and how a proof is checked.
//
// Leaves are numbered from 0 (leaf i is the event at log position i + 1). Every hash a proof
// holds is the hash of a range of leaves [begin, end) that RFC 6962's recursion reaches; such a
// range splits into complete, aligned subtrees (sizes the binary digits of end - begin, largest
// first), so a store that keeps the hash of every complete subtree answers any proof with
// O(log n) lookups. Pure: only SHA-256 (merkle_hash.h); placectl links it.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"

namespace placement::storage {

// The complete subtree of 2^level leaves that starts at leaf index << level.
struct SubtreeId {
  std::uint8_t level = 0;
  std::uint64_t index = 0;
  friend bool operator==(const SubtreeId&, const SubtreeId&) = default;
};

// Leaves [begin, end).
struct LeafRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  friend bool operator==(const LeafRange&, const LeafRange&) = default;
};

// The complete subtrees a range reached by RFC 6962's recursion is made of, largest first.
std::vector<SubtreeId> subtrees_of(LeafRange range);

// The hash of such a range from its subtrees' hashes (in subtrees_of's order): RFC 6962's MTH.
std::string range_hash(const std::vector<std::string>& subtree_hashes);

// The ranges whose hashes are, in order, PATH(index, D[0:size]) (RFC 6962 2.1.1): the audit path
// from the leaf up. invalid_argument unless index < size.
Result<std::vector<LeafRange>> inclusion_ranges(std::uint64_t index, std::uint64_t size);

// The ranges whose hashes are, in order, PROOF(old_size, D[0:new_size]) (RFC 6962 2.1.2).
// Empty when the sizes are equal; invalid_argument unless 0 < old_size <= new_size.
Result<std::vector<LeafRange>> consistency_ranges(std::uint64_t old_size, std::uint64_t new_size);

// Looks up the hash of each subtree asked for, in order (a store: one batch of reads).
using SubtreeLookup = std::function<Result<std::vector<std::string>>(const std::vector<SubtreeId>&)>;

// The hashes of the ranges, each from its subtrees, with one call of lookup for all of them.
Result<std::vector<std::string>> hashes_of(const std::vector<LeafRange>& ranges, const SubtreeLookup& lookup);

// RFC 9162 2.1.3.2: does path prove that leaf_hash is leaf index of the tree of size with root?
// Returns why not, as a sentence, or an empty string when it does.
std::string inclusion_problem(std::uint64_t index, std::uint64_t size, std::string_view leaf_hash,
                              const std::vector<std::string>& path, std::string_view root);

// RFC 9162 2.1.4.2: does proof show that the tree of old_size with old_root is a prefix of the
// tree of new_size with new_root? Why not, or an empty string when it does.
std::string consistency_problem(std::uint64_t old_size, std::uint64_t new_size, std::string_view old_root,
                                std::string_view new_root, const std::vector<std::string>& proof);

}  // namespace placement::storage
