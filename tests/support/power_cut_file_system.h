#pragma once
// A RocksDB file system for tests that knows what a power cut would leave on disk.
//
// Every write goes through to the real file at once (so RocksDB reads back what it wrote), while
// the file system keeps apart, per file, the bytes written since the last Sync/Fsync, and, per
// folder, the entries created, renamed or deleted since that folder's last Fsync. cut_power()
// freezes every writing call (those in flight finish, new ones wait forever), turns the real
// files into what would survive the cut, and ends the process with _exit(kPowerCutExitCode):
//   - each file is truncated to the length it had at its last completed sync; with `tear`, a
//     random part of the unsynced tail survives instead, and the last 4 KiB block of it may be
//     zeros (the block was allocated but its data never reached the disk);
//   - entries of a folder not fsynced since they changed are undone, newest first: a new file
//     is removed, a rename is reversed (the file it replaced comes back), a deleted file comes
//     back with its synced bytes.
// Folders created are taken as durable (RocksDB does not fsync the parent of its folder; the
// server's folders exist before it acknowledges anything).
//
// Faults can also be planned by rules: at the n-th call of a kind (append, sync, rename, delete)
// on a path containing a given text, cut the power before or after it, or fail it with EIO or
// ENOSPC (`times` calls in a row). Thread-safe.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <shared_mutex>
#include <string>
#include <vector>

#include <rocksdb/file_system.h>

namespace placement::testing {

// The exit code of a process whose power was cut.
constexpr int kPowerCutExitCode = 99;

enum class FileCall { append, sync, rename, remove };
enum class FaultAction { cut_before, cut_after, fail_io_error, fail_no_space };

struct FaultRule {
  FaultAction action = FaultAction::cut_before;
  FileCall call = FileCall::sync;
  std::string path_contains;  // empty: any path
  std::uint64_t nth = 1;      // the first matching call the rule acts on (1-based)
  std::uint64_t times = 1;    // failures only: how many matching calls in a row fail
};

// Parses "ACTION,CALL,PATH_TEXT,N[,TIMES]", e.g. "cut-before,sync,citizen-keys,3" or
// "fail-eio,sync,/data/,5,2"; actions cut-before|cut-after|fail-eio|fail-enospc, calls
// append|sync|rename|delete. nullopt when malformed.
std::optional<FaultRule> parse_fault_rule(const std::string& text);

struct PowerCutOptions {
  bool tear = false;            // let a random part of each unsynced tail survive, maybe zeroed
  bool lie_about_sync = false;  // a broken disk for the tests of the tests: Sync returns at once, syncing nothing
  std::uint64_t seed = 1;
  std::vector<FaultRule> rules;
};

class PowerCutFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  PowerCutFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base, PowerCutOptions options);
  const char* Name() const override { return "PowerCutFileSystem"; }

  // Leaves on disk only what a power cut at this instant would, then _exit(kPowerCutExitCode).
  [[noreturn]] void cut_power();
  // As cut_power, but returns (still frozen) instead of exiting: for tests in a forked child.
  void drop_unsynced_state();

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewDirectory(const std::string& name, const rocksdb::IOOptions& options,
                                 std::unique_ptr<rocksdb::FSDirectory>* result, rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& name, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus LinkFile(const std::string& from, const std::string& to, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override;

  // The per-file and per-folder bookkeeping, for the wrappers of files and folders.
  struct FileState {
    std::uint64_t size = 0;    // bytes appended so far
    std::uint64_t synced = 0;  // bytes durable: the size when the last completed sync began
  };
  std::shared_lock<std::shared_mutex> enter();  // held by every writing call; cut_power takes it unique
  // Applies the rules to a call about to run; a failure comes back as the call's status.
  rocksdb::IOStatus before_call(FileCall call, const std::string& path);
  void after_call(FileCall call, const std::string& path);
  std::uint64_t size_of(const std::shared_ptr<FileState>& file);
  void appended(const std::shared_ptr<FileState>& file, std::uint64_t bytes);
  void truncated(const std::shared_ptr<FileState>& file, std::uint64_t size);
  void synced(const std::shared_ptr<FileState>& file, std::uint64_t size_at_start);
  void folder_synced(const std::string& folder);
  bool lies_about_sync() const { return options_.lie_about_sync; }

 private:
  struct Change {
    enum Kind { created, renamed, removed } kind;
    std::string folder;
    std::string path;                  // created, removed: the file; renamed: the new name
    std::string old_path;              // renamed: the old name
    std::optional<std::string> bytes;  // removed or replaced by a rename: the durable bytes it had
    std::shared_ptr<FileState> state;  // removed or replaced: its state
  };
  std::shared_ptr<FileState> track_new(const std::string& name, std::uint64_t size, bool created);
  std::optional<std::string> durable_bytes(const std::string& path);  // callers hold mutex_
  std::uint64_t surviving_length(const FileState& state, bool* zero_last_block);
  void apply_power_cut();  // callers hold freeze_ unique

  PowerCutOptions options_;
  std::atomic<bool> frozen_{false};  // set when a cut begins; never cleared
  std::shared_mutex freeze_;
  std::mutex mutex_;  // guards everything below
  std::map<std::string, std::shared_ptr<FileState>> files_;
  std::vector<Change> changes_;      // not yet made durable by a folder sync, oldest first
  std::vector<std::uint64_t> seen_;  // per rule: matching calls so far
  std::mt19937_64 random_;
};

// Sets up the calling process so that SIGUSR1 cuts the power of `fs`: blocks SIGUSR1 in this
// thread (call it before any other thread starts, so every thread inherits the mask) and starts
// a thread that waits for the signal and calls cut_power().
void cut_power_on_sigusr1(std::shared_ptr<PowerCutFileSystem> fs);

}  // namespace placement::testing
