#include "services/placementd/config.h"

#include <gtest/gtest.h>

namespace placement::placementd {
namespace {

TEST(LoopbackAddress, OnlyTheStrictFormsOfLoopbackAreLoopback) {
  for (const char* listen : {"127.0.0.1:50051", "127.255.3.4:1", "localhost:80", "[::1]:50051", "::1:50051",
                             "[::ffff:127.0.0.1]:9", "unix:/run/placementd.sock"})
    EXPECT_TRUE(is_loopback_address(listen)) << listen;
  for (const char* listen :
       {"4294967423.0.0.1:50051",  // 2^32 + 127: wraps to 127 when read with %u
        "127.0.0.256:1", "127.0.0.1.5:1", "127.1:1", "0x7f.0.0.1:1", "0177.0.0.1:1", "2130706433:1", "127.0.0.1x:1",
        " 127.0.0.1:1", "128.0.0.1:1", "0.0.0.0:50051", "[::]:50051", "[::2]:1", "[::ffff:10.0.0.1]:1",
        "example.org:443", ":50051", "localhost.evil.example:1"})
    EXPECT_FALSE(is_loopback_address(listen)) << listen;
}

}  // namespace
}  // namespace placement::placementd
