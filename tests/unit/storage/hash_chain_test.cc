#include "storage/hash_chain.h"

#include <gtest/gtest.h>

namespace placement::storage {
namespace {

TEST(HashChain, GenesisIs32ZeroBytes) { EXPECT_EQ(genesis_hash(), std::string(32, '\0')); }

TEST(HashChain, IsSha256OfPreviousHashFollowedByBytes) {
  // SHA-256("abc"), split across the two inputs, from FIPS 180-2's test vector.
  EXPECT_EQ(to_hex(chain_hash("a", "bc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashChain, DependsOnThePreviousHash) {
  EXPECT_NE(chain_hash(genesis_hash(), "event"), chain_hash(chain_hash(genesis_hash(), "x"), "event"));
}

}  // namespace
}  // namespace placement::storage
