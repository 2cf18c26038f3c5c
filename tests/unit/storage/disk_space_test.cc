#include "storage/disk_space.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace placement::storage {
namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

// A file system whose state the test sets.
struct FakeDisk {
  std::optional<DiskSpace> space = DiskSpace{false, 1024 * kMiB};
  std::string asked;
  DiskReserve reserve(std::uint64_t min_free_bytes) {
    return DiskReserve("/data", min_free_bytes, [this](const std::string& path) {
      asked = path;
      return space;
    });
  }
};

TEST(DiskSpace, TheDataFolderOfARealFileSystemHasSpace) {
  testing::TempDir dir;
  const auto space = disk_space_of(dir.str());
  ASSERT_TRUE(space.has_value());
  EXPECT_FALSE(space->read_only);
  EXPECT_GT(space->free_bytes, 0u);
  EXPECT_FALSE(disk_space_of((dir.path() / "missing" / "deeper").string()).has_value());
}

TEST(DiskSpace, WritesGoThroughAboveTheReserveAndAskAboutTheDataFolder) {
  FakeDisk disk;
  auto reserve = disk.reserve(64 * kMiB);
  EXPECT_TRUE(reserve.check_write());
  EXPECT_EQ(disk.asked, "/data");
  disk.space->free_bytes = 64 * kMiB;  // exactly the reserve is enough
  EXPECT_TRUE(reserve.check_write());
}

TEST(DiskSpace, WritesAreRefusedBelowTheReserveAndResumeOnceSpaceIsFreed) {
  FakeDisk disk;
  auto reserve = disk.reserve(64 * kMiB);
  disk.space->free_bytes = 10 * kMiB;
  auto refused = reserve.check_write();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  EXPECT_EQ(
      refused.error().message,
      "the disk holding the data folder has 10 MiB free, below the reserve of 64 MiB; writes resume when space is freed");
  EXPECT_FALSE(reserve.check_write()) << "still refused while nothing changed";
  disk.space->free_bytes = 100 * kMiB;
  EXPECT_TRUE(reserve.check_write());
}

TEST(DiskSpace, AReadOnlyFileSystemRefusesWritesEvenWithoutAReserve) {
  FakeDisk disk;
  auto reserve = disk.reserve(0);
  disk.space->read_only = true;
  auto refused = reserve.check_write();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  EXPECT_EQ(refused.error().message, "the data folder's file system is read-only; writes resume when it is writable");
  disk.space = DiskSpace{false, 0};
  EXPECT_TRUE(reserve.check_write()) << "a reserve of 0 checks no space";
}

TEST(DiskSpace, AFileSystemThatCannotBeAskedLetsWritesThrough) {
  FakeDisk disk;
  auto reserve = disk.reserve(64 * kMiB);
  disk.space = std::nullopt;
  EXPECT_TRUE(reserve.check_write());
  EXPECT_TRUE(reserve.check_snapshot(1024 * kMiB));
  EXPECT_TRUE(DiskReserve().check_write());
  EXPECT_TRUE(DiskReserve().check_snapshot(1024 * kMiB));
}

TEST(DiskSpace, ASnapshotNeedsTwiceItsSizeBesideTheReserve) {
  FakeDisk disk;
  auto reserve = disk.reserve(64 * kMiB);
  disk.space->free_bytes = 64 * kMiB + 2 * 100 * kMiB;
  EXPECT_TRUE(reserve.check_snapshot(100 * kMiB));
  disk.space->free_bytes -= 1;
  auto refused = reserve.check_snapshot(100 * kMiB);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  EXPECT_EQ(refused.error().message,
            "no room for a snapshot of 100 MiB beside the reserve; the log is replayed instead");
  EXPECT_TRUE(reserve.check_write()) << "the log's writes still fit";
}

TEST(DiskSpace, ASnapshotIsRefusedOnAReadOnlyFileSystemAndNeedsRoomWithoutAReserve) {
  FakeDisk disk;
  auto reserve = disk.reserve(0);
  disk.space->read_only = true;
  EXPECT_FALSE(reserve.check_snapshot(1));
  disk.space = DiskSpace{false, 2 * 100 * kMiB - 1};
  EXPECT_FALSE(reserve.check_snapshot(100 * kMiB));
}

}  // namespace
}  // namespace placement::storage
