#include "tests/support/power_cut_file_system.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace placement::testing {
namespace {

namespace fs = std::filesystem;

std::string normal(const std::string& path) {
  std::string text = fs::path(path).lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

std::string folder_of(const std::string& path) { return normal(fs::path(normal(path)).parent_path().string()); }

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

std::optional<std::string> read_prefix(const std::string& path, std::optional<std::uint64_t> length) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string all = bytes.str();
  if (length && *length < all.size()) all.resize(*length);
  return all;
}

void write_whole(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

thread_local bool cut_after_this_call = false;

class PowerCutWritableFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  PowerCutWritableFile(std::unique_ptr<rocksdb::FSWritableFile> file, PowerCutFileSystem& fs, std::string path,
                       std::shared_ptr<PowerCutFileSystem::FileState> state)
      : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), path_(std::move(path)), state_(std::move(state)) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    return append([&] { return target()->Append(data, options, dbg); }, data.size());
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info, rocksdb::IODebugContext* dbg) override {
    return append([&] { return target()->Append(data, options, info, dbg); }, data.size());
  }
  rocksdb::IOStatus Truncate(uint64_t size, const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    auto entered = fs_.enter();
    auto status = target()->Truncate(size, options, dbg);
    if (status.ok()) fs_.truncated(state_, size);
    return status;
  }
  rocksdb::IOStatus Close(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    auto entered = fs_.enter();
    return target()->Close(options, dbg);
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    return sync([&] { return target()->Sync(options, dbg); });
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    return sync([&] { return target()->Fsync(options, dbg); });
  }
  // Not a durability point: the kernel starts writing back, nobody waits.
  rocksdb::IOStatus RangeSync(uint64_t offset, uint64_t bytes, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override {
    auto entered = fs_.enter();
    return target()->RangeSync(offset, bytes, options, dbg);
  }

 private:
  template <typename Call> rocksdb::IOStatus append(Call call, std::uint64_t bytes) {
    if (auto refused = fs_.before_call(FileCall::append, path_); !refused.ok()) return refused;
    rocksdb::IOStatus status;
    {
      auto entered = fs_.enter();
      status = call();
      if (status.ok()) fs_.appended(state_, bytes);
    }
    fs_.after_call(FileCall::append, path_);
    return status;
  }
  template <typename Call> rocksdb::IOStatus sync(Call call) {
    if (auto refused = fs_.before_call(FileCall::sync, path_); !refused.ok()) return refused;
    rocksdb::IOStatus status;
    if (fs_.lies_about_sync() && path_.ends_with(".log")) return status;  // "synced", nothing durable
    {
      auto entered = fs_.enter();
      const std::uint64_t size_at_start = fs_.size_of(state_);
      status = call();
      if (status.ok()) fs_.synced(state_, size_at_start);
    }
    fs_.after_call(FileCall::sync, path_);
    return status;
  }

  PowerCutFileSystem& fs_;
  std::string path_;
  std::shared_ptr<PowerCutFileSystem::FileState> state_;
};

class PowerCutDirectory final : public rocksdb::FSDirectoryWrapper {
 public:
  PowerCutDirectory(std::unique_ptr<rocksdb::FSDirectory> folder, PowerCutFileSystem& fs, std::string path)
      : FSDirectoryWrapper(std::move(folder)), fs_(fs), path_(std::move(path)) {}

  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    return sync([&] { return FSDirectoryWrapper::Fsync(options, dbg); });
  }
  rocksdb::IOStatus FsyncWithDirOptions(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg,
                                        const rocksdb::DirFsyncOptions& dir_options) override {
    return sync([&] { return FSDirectoryWrapper::FsyncWithDirOptions(options, dbg, dir_options); });
  }

 private:
  template <typename Call> rocksdb::IOStatus sync(Call call) {
    if (auto refused = fs_.before_call(FileCall::sync, path_ + "/"); !refused.ok()) return refused;
    rocksdb::IOStatus status;
    {
      auto entered = fs_.enter();
      status = call();
      if (status.ok()) fs_.folder_synced(path_);
    }
    fs_.after_call(FileCall::sync, path_ + "/");
    return status;
  }

  PowerCutFileSystem& fs_;
  std::string path_;
};

}  // namespace

std::optional<FaultRule> parse_fault_rule(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
  if (parts.size() != 4 && parts.size() != 5) return std::nullopt;
  FaultRule rule;
  static const std::map<std::string, FaultAction> actions = {{"cut-before", FaultAction::cut_before},
                                                             {"cut-after", FaultAction::cut_after},
                                                             {"fail-eio", FaultAction::fail_io_error},
                                                             {"fail-enospc", FaultAction::fail_no_space}};
  static const std::map<std::string, FileCall> calls = {{"append", FileCall::append},
                                                        {"sync", FileCall::sync},
                                                        {"rename", FileCall::rename},
                                                        {"delete", FileCall::remove}};
  const auto action = actions.find(parts[0]);
  const auto call = calls.find(parts[1]);
  if (action == actions.end() || call == calls.end()) return std::nullopt;
  rule.action = action->second;
  rule.call = call->second;
  rule.path_contains = parts[2];
  try {
    rule.nth = std::stoull(parts[3]);
    if (parts.size() == 5) rule.times = std::stoull(parts[4]);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (rule.nth == 0) return std::nullopt;
  return rule;
}

PowerCutFileSystem::PowerCutFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base, PowerCutOptions options)
    : FileSystemWrapper(base), options_(std::move(options)), seen_(options_.rules.size(), 0), random_(options_.seed) {}

std::shared_lock<std::shared_mutex> PowerCutFileSystem::enter() {
  // After a cut began, no writing call starts again: the process is about to end.
  while (frozen_.load(std::memory_order_acquire)) std::this_thread::sleep_for(std::chrono::hours(1));
  return std::shared_lock<std::shared_mutex>(freeze_);
}

rocksdb::IOStatus PowerCutFileSystem::before_call(FileCall call, const std::string& path) {
  std::unique_lock lock(mutex_);
  for (std::size_t i = 0; i < options_.rules.size(); ++i) {
    const FaultRule& rule = options_.rules[i];
    if (rule.call != call || path.find(rule.path_contains) == std::string::npos) continue;
    const std::uint64_t n = ++seen_[i];
    switch (rule.action) {
      case FaultAction::cut_before:
        if (n == rule.nth) {
          lock.unlock();
          cut_power();
        }
        break;
      case FaultAction::cut_after:
        if (n == rule.nth) cut_after_this_call = true;
        break;
      case FaultAction::fail_io_error:
        if (n >= rule.nth && n < rule.nth + rule.times)
          return rocksdb::IOStatus::IOError("injected EIO on " + path + " (Input/output error)");
        break;
      case FaultAction::fail_no_space:
        if (n >= rule.nth && n < rule.nth + rule.times)
          return rocksdb::IOStatus::NoSpace("injected ENOSPC on " + path + " (No space left on device)");
        break;
    }
  }
  return rocksdb::IOStatus::OK();
}

void PowerCutFileSystem::after_call(FileCall, const std::string&) {
  if (cut_after_this_call) cut_power();
}

std::uint64_t PowerCutFileSystem::size_of(const std::shared_ptr<FileState>& file) {
  std::lock_guard lock(mutex_);
  return file->size;
}

void PowerCutFileSystem::appended(const std::shared_ptr<FileState>& file, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  file->size += bytes;
}

void PowerCutFileSystem::truncated(const std::shared_ptr<FileState>& file, std::uint64_t size) {
  std::lock_guard lock(mutex_);
  file->size = size;
  file->synced = std::min(file->synced, size);
}

void PowerCutFileSystem::synced(const std::shared_ptr<FileState>& file, std::uint64_t size_at_start) {
  std::lock_guard lock(mutex_);
  file->synced = std::max(file->synced, std::min(size_at_start, file->size));
}

void PowerCutFileSystem::folder_synced(const std::string& folder) {
  std::lock_guard lock(mutex_);
  std::erase_if(changes_, [&](const Change& change) { return change.folder == folder; });
}

std::shared_ptr<PowerCutFileSystem::FileState> PowerCutFileSystem::track_new(const std::string& name,
                                                                             std::uint64_t size, bool created) {
  auto state = std::make_shared<FileState>(FileState{size, size});
  std::lock_guard lock(mutex_);
  files_[name] = state;
  if (created) changes_.push_back(Change{Change::created, folder_of(name), name, {}, std::nullopt, nullptr});
  return state;
}

rocksdb::IOStatus PowerCutFileSystem::NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                      rocksdb::IODebugContext* dbg) {
  const std::string path = normal(name);
  auto entered = enter();
  const bool created = !exists(path);
  std::unique_ptr<rocksdb::FSWritableFile> file;
  auto status = target()->NewWritableFile(name, options, &file, dbg);
  if (!status.ok()) return status;
  // An existing file is truncated by this call: none of its old bytes are taken as durable.
  auto state = track_new(path, 0, created);
  *result = std::make_unique<PowerCutWritableFile>(std::move(file), *this, path, std::move(state));
  return status;
}

rocksdb::IOStatus PowerCutFileSystem::ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                                         std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                         rocksdb::IODebugContext* dbg) {
  const std::string path = normal(name);
  auto entered = enter();
  const bool created = !exists(path);
  std::unique_ptr<rocksdb::FSWritableFile> file;
  auto status = target()->ReopenWritableFile(name, options, &file, dbg);
  if (!status.ok()) return status;
  std::error_code ec;
  const std::uint64_t size = created ? 0 : fs::file_size(path, ec);
  std::shared_ptr<FileState> state;
  {
    std::lock_guard lock(mutex_);
    if (auto known = files_.find(path); known != files_.end()) state = known->second;
  }
  if (!state) state = track_new(path, ec ? 0 : size, created);
  *result = std::make_unique<PowerCutWritableFile>(std::move(file), *this, path, std::move(state));
  return status;
}

rocksdb::IOStatus PowerCutFileSystem::ReuseWritableFile(const std::string& name, const std::string& old_name,
                                                        const rocksdb::FileOptions& options,
                                                        std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                        rocksdb::IODebugContext* dbg) {
  if (auto renamed = RenameFile(old_name, name, rocksdb::IOOptions(), dbg); !renamed.ok()) return renamed;
  return NewWritableFile(name, options, result, dbg);
}

rocksdb::IOStatus PowerCutFileSystem::NewDirectory(const std::string& name, const rocksdb::IOOptions& options,
                                                   std::unique_ptr<rocksdb::FSDirectory>* result,
                                                   rocksdb::IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSDirectory> folder;
  auto status = target()->NewDirectory(name, options, &folder, dbg);
  if (!status.ok()) return status;
  *result = std::make_unique<PowerCutDirectory>(std::move(folder), *this, normal(name));
  return status;
}

std::optional<std::string> PowerCutFileSystem::durable_bytes(const std::string& path) {
  const auto known = files_.find(path);
  return read_prefix(path, known == files_.end() ? std::nullopt : std::optional<std::uint64_t>(known->second->synced));
}

rocksdb::IOStatus PowerCutFileSystem::DeleteFile(const std::string& name, const rocksdb::IOOptions& options,
                                                 rocksdb::IODebugContext* dbg) {
  const std::string path = normal(name);
  if (auto refused = before_call(FileCall::remove, path); !refused.ok()) return refused;
  rocksdb::IOStatus status;
  {
    auto entered = enter();
    std::lock_guard lock(mutex_);
    auto bytes = durable_bytes(path);
    status = target()->DeleteFile(name, options, dbg);
    if (status.ok()) {
      std::shared_ptr<FileState> state;
      if (auto known = files_.find(path); known != files_.end()) {
        state = known->second;
        files_.erase(known);
      }
      changes_.push_back(Change{Change::removed, folder_of(path), path, {}, std::move(bytes), std::move(state)});
    }
  }
  after_call(FileCall::remove, path);
  return status;
}

rocksdb::IOStatus PowerCutFileSystem::RenameFile(const std::string& from, const std::string& to,
                                                 const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) {
  const std::string source = normal(from);
  const std::string target_path = normal(to);
  if (auto refused = before_call(FileCall::rename, target_path); !refused.ok()) return refused;
  rocksdb::IOStatus status;
  {
    auto entered = enter();
    std::lock_guard lock(mutex_);
    auto replaced = exists(target_path) ? durable_bytes(target_path) : std::nullopt;
    std::shared_ptr<FileState> replaced_state;
    if (auto known = files_.find(target_path); known != files_.end()) replaced_state = known->second;
    status = target()->RenameFile(from, to, options, dbg);
    if (status.ok()) {
      files_.erase(target_path);
      if (auto moved = files_.find(source); moved != files_.end()) {
        files_[target_path] = moved->second;
        files_.erase(moved);
      }
      changes_.push_back(Change{Change::renamed, folder_of(target_path), target_path, source, std::move(replaced),
                                std::move(replaced_state)});
    }
  }
  after_call(FileCall::rename, target_path);
  return status;
}

rocksdb::IOStatus PowerCutFileSystem::LinkFile(const std::string& from, const std::string& to,
                                               const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) {
  auto entered = enter();
  auto status = target()->LinkFile(from, to, options, dbg);
  if (status.ok()) {
    std::lock_guard lock(mutex_);
    changes_.push_back(Change{Change::created, folder_of(to), normal(to), {}, std::nullopt, nullptr});
  }
  return status;
}

std::uint64_t PowerCutFileSystem::surviving_length(const FileState& state, bool* zero_last_block) {
  *zero_last_block = false;
  if (!options_.tear || state.size <= state.synced) return std::min(state.synced, state.size);
  const std::uint64_t kept = state.synced + random_() % (state.size - state.synced + 1);
  *zero_last_block = kept > state.synced && random_() % 2 == 0;
  return kept;
}

void PowerCutFileSystem::apply_power_cut() {
  std::lock_guard lock(mutex_);
  for (const auto& [path, state] : files_) {
    if (state->size <= state->synced) continue;
    bool zero_last_block = false;
    const std::uint64_t kept = surviving_length(*state, &zero_last_block);
    if (::truncate(path.c_str(), static_cast<off_t>(kept)) != 0) continue;
    if (zero_last_block) {
      constexpr std::uint64_t kBlock = 4096;
      const std::uint64_t from = std::max(state->synced, kept / kBlock * kBlock);
      std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
      out.seekp(static_cast<std::streamoff>(from));
      out << std::string(kept - from, '\0');
    }
  }
  for (auto change = changes_.rbegin(); change != changes_.rend(); ++change) {
    switch (change->kind) {
      case Change::created: ::unlink(change->path.c_str()); break;
      case Change::renamed:
        ::rename(change->path.c_str(), change->old_path.c_str());
        if (change->bytes) write_whole(change->path, *change->bytes);
        break;
      case Change::removed:
        if (change->bytes) write_whole(change->path, *change->bytes);
        break;
    }
  }
  changes_.clear();
  files_.clear();
}

void PowerCutFileSystem::drop_unsynced_state() {
  frozen_.store(true, std::memory_order_release);
  std::unique_lock freeze(freeze_);
  apply_power_cut();
  freeze.release();  // stays frozen: nothing may write after the cut
}

void PowerCutFileSystem::cut_power() {
  drop_unsynced_state();
  ::_exit(kPowerCutExitCode);
}

void cut_power_on_sigusr1(std::shared_ptr<PowerCutFileSystem> fs) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([fs = std::move(fs), set] {
    int signal = 0;
    while (sigwait(&set, &signal) != 0) {
    }
    fs->cut_power();
  }).detach();
}

}  // namespace placement::testing
