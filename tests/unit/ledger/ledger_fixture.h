#pragma once
// A ledger on a real RocksDB log in a temporary folder, and an admin actor: the set-up shared by
// the tests of the ledger and of what reads through it (the planning views). The ledger can write
// through a FailingEventLog over that log, for tests of failed writes.

#include <memory>

#include <gtest/gtest.h>

#include "services/ledger/ledger.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/failing_event_log.h"
#include "tests/support/temp_dir.h"

namespace placement::ledger::testing {

class LedgerOnRocksDb : public ::testing::Test {
 protected:
  enum class Through { rocksdb, failing_log };

  // Call from SetUp; the clock must outlive the test. With Through::failing_log the ledger works
  // on failing_log_, which wraps log_.
  void open_ledger(const Clock& clock, Through through = Through::rocksdb) {
    auto opened = storage::RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
    failing_log_ = std::make_unique<placement::testing::FailingEventLog>(*log_);
    storage::EventLog& ledger_log = through == Through::failing_log ? *failing_log_ : *log_;
    auto ledger = Ledger::open(ledger_log, clock, [](Position) {});
    ASSERT_TRUE(ledger) << ledger.error().message;
    ledger_ = std::move(ledger).value();
    actor_.set_subject("tester");
    actor_.set_role(v1::ROLE_ADMIN);
  }
  void TearDown() override {
    if (failing_log_) failing_log_->release_appends();
    if (ledger_) ledger_->stop();
  }

  placement::testing::TempDir dir_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<placement::testing::FailingEventLog> failing_log_;  // over log_
  std::unique_ptr<Ledger> ledger_;
  v1::Actor actor_;
};

}  // namespace placement::ledger::testing
