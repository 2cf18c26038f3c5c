#pragma once
// The options of the log's `merkle` family (merkle_tree.h), which the log opens it with and
// bench/merkle_proof_bench too. A proof reads one node per level of the tree, each in a block of
// its own, so the family has its own block cache, large enough for the upper levels of a 10 M
// leaf tree (levels 5 and up: ~40 MB), its blocks are stored uncompressed (SHA-256 hashes do not
// compress) and indexed by hash inside a block, and it has no bloom filter, since every key a
// proof asks for exists.

#include <rocksdb/options.h>

namespace placement::storage {

rocksdb::ColumnFamilyOptions merkle_family_options();

}  // namespace placement::storage
