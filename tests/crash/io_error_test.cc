// I/O errors under load, injected by the power-cut file system into the real placementd: a sync
// or a write of the log that fails with EIO or ENOSPC. The calls of the failed batch get
// UNAVAILABLE; the server either recovers (later writes succeed) or, once RocksDB cannot resume,
// stops by itself with a clear message and exit code 75 (so systemd restarts it), never by an
// abort; after a restart on the same folder every acknowledged command is there exactly once
// and the chain verifies.

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
  // CANCELLED by gRPC itself for a call that arrived in the instant the stopping server closed its
  // listener (as at any shutdown): never decided, nothing written.
  int cancelled_at_shutdown = 0;
  std::string other;
};

// A fault rule of the power-cut file system and what the server must do after it.
struct IoErrorCase {
  const char* rule;
  bool recovers;  // false: the server stops by itself with kDiskFailedExitCode
};

// run.cc's exit code after the log's disk failed (EX_TEMPFAIL).
constexpr int kDiskFailedExitCode = 75;

class IoErrors : public ::testing::TestWithParam<IoErrorCase> {
 protected:
  IoErrors() : server_(dir_.path() / "data") { server_.set_binary(PLACEMENTD_POWERCUT_PATH); }

  // Registers offers one by one (each its own batch) for `how_long` or until the server ends.
  Outcome write_for(std::chrono::seconds how_long) {
    Outcome outcome;
    auto offers = v1::OfferService::NewStub(server_.channel());
    const auto until = std::chrono::steady_clock::now() + how_long;
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
      } else if (status.error_code() == grpc::StatusCode::CANCELLED && outcome.unavailable > 0 &&
                 !GetParam().recovers) {
        ++outcome.cancelled_at_shutdown;
      } else {
        ++outcome.other_errors;
        outcome.other = std::to_string(status.error_code()) + " " + status.error_message() + " (call " + id + ")";
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
  const IoErrorCase& fault = GetParam();
  // Counted from the start of the process: past the syncs of opening and of the reference data.
  server_.set_extra_args({std::string("--powercut-rule=") + fault.rule});
  ASSERT_TRUE(server_.start()) << server_.error();
  // A server that stops needs up to RocksDbEventLog::kMaxFailedResumes seconds of writes to notice.
  const Outcome outcome = write_for(std::chrono::seconds(fault.recovers ? 3 : 30));
  EXPECT_GT(outcome.acknowledged, 0);
  EXPECT_GT(outcome.unavailable, 0) << "the injected fault reached no call";
  EXPECT_EQ(outcome.other_errors, 0) << outcome.other << "\n" << server_.output();
  if (fault.recovers) {
    EXPECT_FALSE(exit_code_.has_value()) << "stopped although RocksDB resumes:\n" << server_.output();
    EXPECT_GT(outcome.acknowledged_after_failure, 0) << "still running but no longer writing";
    if (!exit_code_) exit_code_ = server_.stop();
    EXPECT_EQ(*exit_code_, 0) << server_.output();
  } else {
    ASSERT_TRUE(exit_code_.has_value()) << "still running 30 s after an unrecoverable error:\n" << server_.output();
    EXPECT_LE(outcome.cancelled_at_shutdown, 2) << "more calls cancelled than the listener's closing explains";
    EXPECT_EQ(*exit_code_, kDiskFailedExitCode) << server_.output();
    EXPECT_NE(server_.output().find("the log's disk failed: "), std::string::npos) << server_.output();
    EXPECT_NE(server_.output().find("exiting so that systemd restarts the service"), std::string::npos)
        << server_.output();
  }
  ASSERT_TRUE(exit_code_.has_value());
  EXPECT_NE(*exit_code_, 128 + SIGABRT) << "aborted:\n" << server_.output();
  EXPECT_NE(*exit_code_, 128 + SIGSEGV) << server_.output();
  std::cout << fault.rule << ": " << outcome.acknowledged << " acknowledged, " << outcome.unavailable
            << " UNAVAILABLE, " << outcome.cancelled_at_shutdown << " cancelled at shutdown, "
            << outcome.acknowledged_after_failure << " acknowledged after the failure; exit code " << *exit_code_
            << "\n";

  // A restart on a healthy disk serves every acknowledged command, exactly once.
  server_.set_extra_args({});
  ASSERT_TRUE(server_.start()) << server_.error();
  ASSERT_NO_FATAL_FAILURE(testing::expect_acknowledged_commands_intact(server_.channel(), recorder_.acks()));
}

// A failed sync that RocksDB reports as "no space": the next write resumes, the server recovers.
INSTANTIATE_TEST_SUITE_P(LogWalSync, IoErrors, ::testing::Values(IoErrorCase{"fail-enospc,sync,data/,40,1", true}),
                         [](const auto& param) { return "rule" + std::to_string(param.index); });

// After an EIO on the WAL's sync or write, or a "no space" on its write, RocksDB 7.8 refuses
// DB::Resume() for good: the server stops with kDiskFailedExitCode and a clear message (systemd
// restarts it), having answered the calls it could not write UNAVAILABLE.
INSTANTIATE_TEST_SUITE_P(LogWalUnrecoverable, IoErrors,
                         ::testing::Values(IoErrorCase{"fail-eio,sync,data/,40,1", false},
                                           IoErrorCase{"fail-eio,append,data/,60,1", false},
                                           IoErrorCase{"fail-enospc,append,data/,60,3", false}),
                         [](const auto& param) { return "rule" + std::to_string(param.index); });

}  // namespace
}  // namespace placement
