// I/O errors under load, injected by the power-cut file system into the real placementd: a sync
// or a write of the log that fails with EIO or ENOSPC. The calls of the failed batch get
// UNAVAILABLE; the server either recovers (later writes succeed) or stops with a clear message
// and a non-zero exit code (so systemd restarts it), never by an abort; after a restart on the
// same folder every acknowledged command is there exactly once and the chain verifies.

#include <signal.h>

#include <atomic>
#include <iostream>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "placement/v1/offer_service.grpc.pb.h"
#include "tests/crash/mixed_workload.h"
#include "tests/support/grpc_client.h"
#include "tests/support/offer_requests.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

struct Outcome {
  int acknowledged = 0;
  int unavailable = 0;
  int other_errors = 0;
  int acknowledged_after_failure = 0;
  std::string other;
};

class IoErrors : public ::testing::TestWithParam<const char*> {
 protected:
  IoErrors() : server_(dir_.path() / "data") { server_.set_binary(PLACEMENTD_POWERCUT_PATH); }

  // Registers offers one by one (each its own batch) for a few seconds or until the server ends.
  Outcome write_for_a_while() {
    Outcome outcome;
    auto offers = v1::OfferService::NewStub(server_.channel());
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
      const std::string id = "io-" + std::to_string(i);
      auto context = testing::as_operator();
      context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      v1::CommandResult result;
      const auto status = offers->RegisterOffer(context.get(), testing::simple_offer_request(id, id), &result);
      if (status.ok()) {
        recorder_.record(id, result);
        ++outcome.acknowledged;
        if (outcome.unavailable > 0) ++outcome.acknowledged_after_failure;
      } else if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        ++outcome.unavailable;
        if (!server_.running() || server_.poll_exit()) break;
      } else {
        ++outcome.other_errors;
        outcome.other = status.error_message();
      }
      if (auto code = server_.poll_exit()) {
        exit_code_ = *code;
        break;
      }
    }
    return outcome;
  }

  testing::TempDir dir_;
  testing::ServerProcess server_;
  testing::Recorder recorder_;
  std::optional<int> exit_code_;
};

TEST_P(IoErrors, FailedCallsAreUnavailableNothingAcknowledgedIsLostAndTheServerNeverAborts) {
  // Counted from the start of the process: past the syncs of opening and of the reference data.
  server_.set_extra_args({std::string("--powercut-rule=") + GetParam()});
  ASSERT_TRUE(server_.start()) << server_.error();
  const Outcome outcome = write_for_a_while();
  EXPECT_GT(outcome.acknowledged, 0);
  EXPECT_GT(outcome.unavailable, 0) << "the injected fault reached no call";
  EXPECT_EQ(outcome.other_errors, 0) << outcome.other;
  if (!exit_code_ && server_.running()) {
    EXPECT_GT(outcome.acknowledged_after_failure, 0) << "still running but no longer writing";
    exit_code_ = server_.stop();
  }
  ASSERT_TRUE(exit_code_.has_value());
  EXPECT_NE(*exit_code_, 128 + SIGABRT) << "aborted:\n" << server_.output();
  EXPECT_NE(*exit_code_, 128 + SIGSEGV) << server_.output();
  std::cout << GetParam() << ": " << outcome.acknowledged << " acknowledged, " << outcome.unavailable
            << " UNAVAILABLE, " << outcome.acknowledged_after_failure << " acknowledged after the failure; exit code "
            << *exit_code_ << "\n";

  server_.set_extra_args({});
  ASSERT_TRUE(server_.start()) << server_.error();
  ASSERT_NO_FATAL_FAILURE(testing::expect_acknowledged_commands_intact(server_.channel(), recorder_.acks()));
}

// A failed sync that RocksDB reports as "no space": the next write resumes, the server recovers.
INSTANTIATE_TEST_SUITE_P(LogWalSync, IoErrors, ::testing::Values("fail-enospc,sync,data/,40,1"),
                         [](const auto& param) { return "rule" + std::to_string(param.index); });

// Known gap, found by these tests (RocksDB 7.8): after an EIO on the WAL's sync or write, or a
// "no space" on its write, RocksDB refuses DB::Resume() for good. The server neither aborts nor
// loses anything acknowledged (the restart check passes), but it stays up answering every write
// UNAVAILABLE instead of stopping with a non-zero exit code for systemd to restart it. Enable
// once the writer stops the process on an unrecoverable background error.
INSTANTIATE_TEST_SUITE_P(DISABLED_LogWalUnrecoverable, IoErrors,
                         ::testing::Values("fail-eio,sync,data/,40,1", "fail-eio,append,data/,60,1",
                                           "fail-enospc,append,data/,60,3"),
                         [](const auto& param) { return "rule" + std::to_string(param.index); });

}  // namespace
}  // namespace placement
