// placementd_powercut: the real placementd (the same composition root, run_placementd) with every
// RocksDB on a PowerCutFileSystem, for the power-loss tests. Built only with the tests; the
// production binary has none of this.
//
// Its own flags (taken out before placementd parses the rest):
//   --powercut-tear              a random part of each unsynced tail survives a cut, maybe zeroed
//   --powercut-seed=N            the seed of that randomness
//   --powercut-rule=RULE         a planned fault (parse_fault_rule), repeatable, e.g.
//                                cut-before,sync,citizen-keys,3   fail-eio,sync,/data/,5,2
//   --powercut-lie-about-sync    the broken build the test must catch: a write-ahead log's sync
//                                returns at once, so answers go out before the data is durable
// SIGUSR1 cuts the power at once: what was not synced is dropped, then the process ends with
// exit code 99 (kPowerCutExitCode).

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <iostream>
#include <string_view>
#include <vector>

#include "services/placementd/run.h"
#include "tests/support/power_cut_file_system.h"

int main(int argc, char** argv) {
  using namespace placement::testing;
  PowerCutOptions options;
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--powercut-tear") {
      options.tear = true;
    } else if (arg == "--powercut-lie-about-sync") {
      options.lie_about_sync = true;
    } else if (arg.starts_with("--powercut-seed=")) {
      options.seed = std::stoull(std::string(arg.substr(16)));
    } else if (arg.starts_with("--powercut-rule=")) {
      auto rule = parse_fault_rule(std::string(arg.substr(16)));
      if (!rule) {
        std::cerr << "placementd_powercut: malformed " << arg << "\n";
        return 2;
      }
      options.rules.push_back(*rule);
    } else {
      rest.push_back(argv[i]);
    }
  }
  rest.push_back(nullptr);
  auto fs = std::make_shared<PowerCutFileSystem>(rocksdb::FileSystem::Default(), std::move(options));
  cut_power_on_sigusr1(fs);  // before any other thread starts
  const std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  return placement::placementd::run_placementd(static_cast<int>(rest.size() - 1), rest.data(), env.get());
}
