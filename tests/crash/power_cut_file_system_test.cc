// The power-cut file system itself: what a cut keeps (synced bytes, entries of fsynced folders)
// and what it drops (unsynced bytes, new, renamed or deleted entries of folders not fsynced),
// checked on the real disk after the cut. Each cut runs in a forked child (a death test, "fast"
// style, so the child writes into the parent's temporary folder), as a cut ends the process.

#include <rocksdb/db.h>
#include <rocksdb/env.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/power_cut_file_system.h"
#include "tests/support/temp_dir.h"

namespace placement::testing {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<PowerCutFileSystem> power_cut_fs(PowerCutOptions options = {}) {
  return std::make_shared<PowerCutFileSystem>(rocksdb::FileSystem::Default(), std::move(options));
}

std::string contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Writes `bytes` to a new file through `cut_fs`, synced when asked.
void write_file(rocksdb::FileSystem& cut_fs, const fs::path& path, const std::string& bytes, bool sync) {
  std::unique_ptr<rocksdb::FSWritableFile> file;
  ASSERT_TRUE(cut_fs.NewWritableFile(path.string(), rocksdb::FileOptions(), &file, nullptr).ok());
  ASSERT_TRUE(file->Append(bytes, rocksdb::IOOptions(), nullptr).ok());
  if (sync) {
    ASSERT_TRUE(file->Sync(rocksdb::IOOptions(), nullptr).ok());
  }
  ASSERT_TRUE(file->Close(rocksdb::IOOptions(), nullptr).ok());
}

void sync_folder(rocksdb::FileSystem& cut_fs, const fs::path& folder) {
  std::unique_ptr<rocksdb::FSDirectory> directory;
  ASSERT_TRUE(cut_fs.NewDirectory(folder.string(), rocksdb::IOOptions(), &directory, nullptr).ok());
  ASSERT_TRUE(directory->Fsync(rocksdb::IOOptions(), nullptr).ok());
}

class PowerCutFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "fast"); }
  TempDir dir_;
};

TEST_F(PowerCutFileSystemTest, UnsyncedTailOfAFileIsDroppedAndItsSyncedPartKept) {
  const fs::path file = dir_.path() / "f";
  EXPECT_EXIT(
      {
        auto cut_fs = power_cut_fs();
        sync_folder(*cut_fs, dir_.path());
        std::unique_ptr<rocksdb::FSWritableFile> out;
        (void)cut_fs->NewWritableFile(file.string(), rocksdb::FileOptions(), &out, nullptr);
        sync_folder(*cut_fs, dir_.path());
        (void)out->Append("durable|", rocksdb::IOOptions(), nullptr);
        (void)out->Sync(rocksdb::IOOptions(), nullptr);
        (void)out->Append("lost", rocksdb::IOOptions(), nullptr);
        cut_fs->cut_power();
      },
      ::testing::ExitedWithCode(kPowerCutExitCode), "");
  EXPECT_EQ(contents(file), "durable|");
}

TEST_F(PowerCutFileSystemTest, ANewFileWhoseFolderWasNotSyncedIsGone) {
  EXPECT_EXIT(
      {
        auto cut_fs = power_cut_fs();
        write_file(*cut_fs, dir_.path() / "kept", "k", /*sync=*/true);
        sync_folder(*cut_fs, dir_.path());
        write_file(*cut_fs, dir_.path() / "gone", "g", /*sync=*/true);
        cut_fs->cut_power();
      },
      ::testing::ExitedWithCode(kPowerCutExitCode), "");
  EXPECT_EQ(contents(dir_.path() / "kept"), "k");
  EXPECT_FALSE(fs::exists(dir_.path() / "gone"));
}

TEST_F(PowerCutFileSystemTest, RenameAndDeleteAreUndoneUntilTheFolderIsSynced) {
  EXPECT_EXIT(
      {
        auto cut_fs = power_cut_fs();
        write_file(*cut_fs, dir_.path() / "CURRENT", "old", true);
        write_file(*cut_fs, dir_.path() / "doomed", "still here", true);
        write_file(*cut_fs, dir_.path() / "CURRENT.tmp", "new", true);
        sync_folder(*cut_fs, dir_.path());
        (void)cut_fs->RenameFile((dir_.path() / "CURRENT.tmp").string(), (dir_.path() / "CURRENT").string(),
                                 rocksdb::IOOptions(), nullptr);
        (void)cut_fs->DeleteFile((dir_.path() / "doomed").string(), rocksdb::IOOptions(), nullptr);
        cut_fs->cut_power();
      },
      ::testing::ExitedWithCode(kPowerCutExitCode), "");
  EXPECT_EQ(contents(dir_.path() / "CURRENT"), "old");
  EXPECT_EQ(contents(dir_.path() / "CURRENT.tmp"), "new");
  EXPECT_EQ(contents(dir_.path() / "doomed"), "still here");
}

// The difference from a process kill: RocksDB hands an unsynced write to the kernel at once, so
// it survives a SIGKILL but not a power cut.
TEST_F(PowerCutFileSystemTest, RocksDbKeepsSyncedWritesAndLosesUnsyncedOnes) {
  const std::string db_dir = (dir_.path() / "db").string();
  fs::create_directories(db_dir);
  EXPECT_EXIT(
      {
        auto cut_fs = power_cut_fs();
        auto env = rocksdb::NewCompositeEnv(cut_fs);
        rocksdb::Options options;
        options.create_if_missing = true;
        options.env = env.get();
        rocksdb::DB* db = nullptr;
        if (!rocksdb::DB::Open(options, db_dir, &db).ok()) std::_Exit(3);
        rocksdb::WriteOptions synced;
        synced.sync = true;
        (void)db->Put(synced, "acknowledged", "1");
        (void)db->Put(rocksdb::WriteOptions(), "unsynced", "2");
        cut_fs->cut_power();
      },
      ::testing::ExitedWithCode(kPowerCutExitCode), "");
  rocksdb::Options options;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, db_dir, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string value;
  EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), "acknowledged", &value).ok());
  EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), "unsynced", &value).IsNotFound());
}

TEST_F(PowerCutFileSystemTest, ARuleFailsTheNthSyncOnAMatchingPath) {
  PowerCutOptions options;
  options.rules.push_back(*parse_fault_rule("fail-eio,sync,victim,2"));
  auto cut_fs = power_cut_fs(options);
  std::unique_ptr<rocksdb::FSWritableFile> file;
  ASSERT_TRUE(cut_fs->NewWritableFile((dir_.path() / "victim").string(), rocksdb::FileOptions(), &file, nullptr).ok());
  EXPECT_TRUE(file->Sync(rocksdb::IOOptions(), nullptr).ok());
  const auto failed = file->Sync(rocksdb::IOOptions(), nullptr);
  EXPECT_TRUE(failed.IsIOError()) << failed.ToString();
  EXPECT_TRUE(file->Sync(rocksdb::IOOptions(), nullptr).ok());
  EXPECT_FALSE(parse_fault_rule("cut-sideways,sync,x,1"));
  EXPECT_FALSE(parse_fault_rule("fail-eio,sync,x,0"));
}

}  // namespace
}  // namespace placement::testing
