#include "storage/keys.h"

#include <gtest/gtest.h>

namespace placement::storage {
namespace {

TEST(Keys, U64IsBigEndianSoBytewiseOrderIsNumericOrder) {
  EXPECT_EQ(encode_u64(1), std::string("\0\0\0\0\0\0\0\x01", 8));
  EXPECT_LT(encode_u64(255), encode_u64(256));
  EXPECT_LT(encode_u64(0xffffffffULL), encode_u64(0x100000000ULL));
}

TEST(Keys, U64RoundTrips) {
  for (std::uint64_t v : {0ULL, 1ULL, 42ULL, 0x0102030405060708ULL, ~0ULL}) EXPECT_EQ(decode_u64(encode_u64(v)), v);
}

TEST(Keys, DecodeRefusesWrongLength) {
  EXPECT_FALSE(decode_u64("abc").has_value());
  EXPECT_FALSE(decode_u64(std::string(9, 'x')).has_value());
}

TEST(Keys, StreamKeysOfOneStreamAreContiguousAndOrderedByVersion) {
  EXPECT_LT(stream_key("offer-1", 2), stream_key("offer-1", 10));
  // "offer-1" must not interleave with "offer-10": the separator sorts below every id byte.
  EXPECT_LT(stream_key("offer-1", ~0ULL), stream_key("offer-10", 1));
  EXPECT_EQ(stream_key("s", 1).substr(0, stream_prefix("s").size()), stream_prefix("s"));
}

}  // namespace
}  // namespace placement::storage
