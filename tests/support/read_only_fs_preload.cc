// A fault injector for tests, loaded into placementd with LD_PRELOAD: while the file named by
// PLACEMENT_TEST_READ_ONLY_FLAG exists, statvfs() reports every file system as mounted read-only
// (ST_RDONLY), as the kernel does after remounting a failing disk read-only.
//
// Why not a real read-only remount: Linux refuses to remount a file system read-only while any
// file on it is open for writing (EBUSY), and RocksDB always holds its write-ahead log open. What
// placementd does about a read-only disk starts from this one answer of the kernel (it refuses
// writes before RocksDB meets the disk), so faking exactly that answer tests the real path:
// gRPC status, log line, reads going on, and writes resuming.

#include <dlfcn.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace {

bool read_only_now() {
  const char* flag = std::getenv("PLACEMENT_TEST_READ_ONLY_FLAG");
  return flag != nullptr && ::access(flag, F_OK) == 0;
}

template <class Function> Function next_definition(const char* name) {
  void* symbol = ::dlsym(RTLD_NEXT, name);
  Function function = nullptr;
  static_assert(sizeof function == sizeof symbol);
  std::memcpy(&function, &symbol,
              sizeof function);  // object pointer → function pointer, without a cast ISO C++ frowns on
  return function;
}

template <class Stat> int mark_read_only(int result, Stat* buffer) {
  if (result == 0 && read_only_now()) buffer->f_flag |= ST_RDONLY;
  return result;
}

}  // namespace

extern "C" {

int statvfs(const char* path, struct statvfs* buffer) {
  static const auto real = next_definition<int (*)(const char*, struct statvfs*)>("statvfs");
  return mark_read_only(real(path, buffer), buffer);
}

int statvfs64(const char* path, struct statvfs64* buffer) {
  static const auto real = next_definition<int (*)(const char*, struct statvfs64*)>("statvfs64");
  return mark_read_only(real(path, buffer), buffer);
}

int fstatvfs(int fd, struct statvfs* buffer) {
  static const auto real = next_definition<int (*)(int, struct statvfs*)>("fstatvfs");
  return mark_read_only(real(fd, buffer), buffer);
}

int fstatvfs64(int fd, struct statvfs64* buffer) {
  static const auto real = next_definition<int (*)(int, struct statvfs64*)>("fstatvfs64");
  return mark_read_only(real(fd, buffer), buffer);
}

}  // extern "C"
