#pragma once
// A ledger on a real RocksDB log in a temporary folder, and an admin actor: the set-up shared by
// the tests of the ledger and of what reads through it (the planning views).

#include <memory>

#include <gtest/gtest.h>

#include "services/ledger/ledger.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace placement::ledger::testing {

class LedgerOnRocksDb : public ::testing::Test {
 protected:
  // Call from SetUp; the clock must outlive the test.
  void open_ledger(const Clock& clock) {
    auto opened = storage::RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
    auto ledger = Ledger::open(*log_, clock, [](Position) {});
    ASSERT_TRUE(ledger) << ledger.error().message;
    ledger_ = std::move(ledger).value();
    actor_.set_subject("tester");
    actor_.set_role(v1::ROLE_ADMIN);
  }
  void TearDown() override {
    if (ledger_) ledger_->stop();
  }

  placement::testing::TempDir dir_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<Ledger> ledger_;
  v1::Actor actor_;
};

}  // namespace placement::ledger::testing
