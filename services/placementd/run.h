#pragma once
// The whole placementd process behind main(): flags, logging, signals (SIGTERM/SIGINT: clean
// shutdown), `placementd restore`, the server's life. Returns the process's exit code: 0 after a
// clean shutdown, 1 when it cannot start, 2 for bad flags.

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace placement::placementd {

// `storage_env`: the environment every RocksDB of the server does its file I/O through; nullptr
// for the real one. Only test binaries pass another (tests/crash/placementd_powercut.cc).
int run_placementd(int argc, char** argv, rocksdb::Env* storage_env);

}  // namespace placement::placementd
