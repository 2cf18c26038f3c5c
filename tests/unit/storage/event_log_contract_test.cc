// The EventLog contract (storage/event_log.h), run against both implementations: the embedded
// RocksDB log in a temporary folder, and the etcd log on a real single-member etcd on loopback
// (tests/support/etcd_cluster.h), each test under a prefix of its own. What only one of them
// does is tested beside it (rocksdb_event_log_test.cc, etcd_event_log_test.cc).

#include <atomic>
#include <memory>
#include <string>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"
#include "storage/etcd_event_log.h"
#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/event_log_requests.h"
#include "tests/support/temp_dir.h"

namespace placement::storage {
namespace {

using testing::append_one;
using testing::request;

enum class Backend { rocksdb, etcd };

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::rocksdb ? "RocksDb" : "Etcd";
}

class EventLogContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  // One etcd member for the whole suite, started by its first etcd test; each test has a prefix
  // of its own in it.
  static void TearDownTestSuite() {
    delete etcd_;
    etcd_ = nullptr;
  }

  void SetUp() override {
    if (GetParam() == Backend::etcd) {
      if (etcd_ == nullptr) {
        std::string error;
        etcd_ = testing::EtcdCluster::start(testing::EtcdClusterOptions{}, &error).release();
        ASSERT_NE(etcd_, nullptr) << error;
      }
      prefix_ = "contract-" + std::to_string(next_prefix_++) + "/";
    }
    reopen();
  }

  void reopen() {
    rocksdb_.reset();
    etcd_log_.reset();
    if (GetParam() == Backend::rocksdb) {
      auto opened = RocksDbEventLog::open(dir_.str());
      ASSERT_TRUE(opened) << opened.error().message;
      rocksdb_ = std::move(opened).value();
    } else {
      EtcdConnection connection;
      connection.endpoints = etcd_->client_addresses();
      EtcdLogOptions options;
      options.prefix = prefix_;
      auto opened = EtcdEventLog::open(connection, options);
      ASSERT_TRUE(opened) << opened.error().message;
      etcd_log_ = std::move(opened).value();
    }
  }

  EventLog& log() {
    if (rocksdb_) return *rocksdb_;
    return *etcd_log_;
  }

  // Flips one bit of the stored payload of the event at `position`, below the log's API.
  void tamper_with_payload(std::uint64_t position) {
    if (rocksdb_) {
      std::string value;
      ASSERT_TRUE(
          rocksdb_->db().Get(rocksdb::ReadOptions(), &rocksdb_->events_family(), event_key(position), &value).ok());
      value.back() = static_cast<char>(value.back() ^ 0x01);
      ASSERT_TRUE(
          rocksdb_->db().Put(rocksdb::WriteOptions(), &rocksdb_->events_family(), event_key(position), value).ok());
      return;
    }
    auto kv =
        etcdserverpb::KV::NewStub(grpc::CreateChannel(etcd_->client_address(0), grpc::InsecureChannelCredentials()));
    etcdserverpb::RangeRequest get;
    get.set_key(prefix_ + "e/" + encode_u64(position));
    etcdserverpb::RangeResponse got;
    grpc::ClientContext get_context;
    ASSERT_TRUE(kv->Range(&get_context, get, &got).ok());
    ASSERT_EQ(got.kvs_size(), 1);
    etcdserverpb::PutRequest put;
    put.set_key(get.key());
    std::string value = got.kvs(0).value();
    value.back() = static_cast<char>(value.back() ^ 0x01);
    put.set_value(value);
    etcdserverpb::PutResponse put_response;
    grpc::ClientContext put_context;
    ASSERT_TRUE(kv->Put(&put_context, put, &put_response).ok());
  }

  static testing::EtcdCluster* etcd_;
  static std::atomic<int> next_prefix_;
  testing::TempDir dir_;
  std::string prefix_;
  std::unique_ptr<RocksDbEventLog> rocksdb_;
  std::unique_ptr<EtcdEventLog> etcd_log_;
};

testing::EtcdCluster* EventLogContractTest::etcd_ = nullptr;
std::atomic<int> EventLogContractTest::next_prefix_{0};

INSTANTIATE_TEST_SUITE_P(BothLogs, EventLogContractTest, ::testing::Values(Backend::rocksdb, Backend::etcd),
                         backend_name);

TEST_P(EventLogContractTest, NewLogIsEmptyWithGenesisHead) {
  EXPECT_EQ(log().head().position.value, 0u);
  EXPECT_EQ(log().head().hash, genesis_hash());
  EXPECT_TRUE(log().read_forward(Position{1}, 10).value().empty());
}

TEST_P(EventLogContractTest, AppendAssignsConsecutivePositionsAndStreamVersions) {
  auto first = append_one(log(), request("c1", "offer-1", ExpectedVersion::no_stream(), 2));
  ASSERT_TRUE(first);
  EXPECT_EQ(first.value().first.value, 1u);
  EXPECT_EQ(first.value().last.value, 2u);
  auto second = append_one(log(), request("c2", "offer-1", ExpectedVersion::exactly(2)));
  ASSERT_TRUE(second);
  EXPECT_EQ(second.value().first.value, 3u);

  auto events = log().read_forward(Position{1}, 10).value();
  ASSERT_EQ(events.size(), 3u);
  for (std::uint64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].envelope.position(), i + 1);
    EXPECT_EQ(events[i].envelope.stream_version(), i + 1);
    EXPECT_EQ(events[i].envelope.stream_id(), "offer-1");
    EXPECT_EQ(events[i].envelope.actor().subject(), "tester");
  }
  EXPECT_EQ(events[2].envelope.command_id(), "c2");
  EXPECT_EQ(log().stream_version("offer-1").value().value, 3u);
  EXPECT_EQ(log().stream_version("offer-2").value().value, 0u);
}

TEST_P(EventLogContractTest, AppendWithStaleVersionReturnsConflictAndWritesNothing) {
  ASSERT_TRUE(append_one(log(), request("c1", "offer-1", ExpectedVersion::no_stream())));
  auto stale = append_one(log(), request("c2", "offer-1", ExpectedVersion::no_stream()));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Errc::conflict);
  EXPECT_EQ(log().head().position.value, 1u);
  EXPECT_FALSE(log().find_command("c2").value().has_value());
}

TEST_P(EventLogContractTest, RetriedCommandReturnsFirstResultAndWritesNothing) {
  auto first = append_one(log(), request("same", "offer-1", ExpectedVersion::any(), 2));
  ASSERT_TRUE(first);
  auto retry = append_one(log(), request("same", "offer-9", ExpectedVersion::any(), 5));
  ASSERT_TRUE(retry);
  EXPECT_TRUE(retry.value().duplicate);
  EXPECT_EQ(retry.value().first, first.value().first);
  EXPECT_EQ(retry.value().last, first.value().last);
  EXPECT_EQ(log().head().position.value, 2u);
  EXPECT_EQ(log().stream_version("offer-9").value().value, 0u);
}

TEST_P(EventLogContractTest, RetryWithinOneBatchIsADuplicateToo) {
  std::vector<AppendRequest> batch;
  batch.push_back(request("dup", "a", ExpectedVersion::any()));
  batch.push_back(request("dup", "b", ExpectedVersion::any()));
  auto outcome = log().append(std::move(batch));
  ASSERT_TRUE(outcome.results[0]);
  ASSERT_TRUE(outcome.results[1]);
  EXPECT_TRUE(outcome.results[1].value().duplicate);
  EXPECT_EQ(outcome.written.size(), 1u);
}

TEST_P(EventLogContractTest, RefusedRequestInABatchDoesNotAffectOthers) {
  std::vector<AppendRequest> batch;
  batch.push_back(request("a", "s", ExpectedVersion::no_stream()));
  batch.push_back(request("b", "s", ExpectedVersion::no_stream()));  // stale once "a" is in
  batch.push_back(request("c", "s", ExpectedVersion::exactly(1)));
  auto outcome = log().append(std::move(batch));
  EXPECT_TRUE(outcome.results[0]);
  ASSERT_FALSE(outcome.results[1]);
  EXPECT_EQ(outcome.results[1].error().code, Errc::conflict);
  EXPECT_TRUE(outcome.results[2]);
  EXPECT_EQ(log().head().position.value, 2u);
}

TEST_P(EventLogContractTest, MultiStreamAppendIsAllOrNothing) {
  ASSERT_TRUE(append_one(log(), request("c1", "b", ExpectedVersion::no_stream())));
  AppendRequest r = request("c2", "a", ExpectedVersion::no_stream());
  r.streams.push_back(StreamAppend{"b", ExpectedVersion::no_stream(), {NewEvent{"T", "x"}}});  // stale
  auto result = append_one(log(), std::move(r));
  ASSERT_FALSE(result);
  EXPECT_EQ(log().stream_version("a").value().value, 0u);
  EXPECT_EQ(log().head().position.value, 1u);
}

TEST_P(EventLogContractTest, AStreamMayAppearTwiceInOneRequestKeepingEventOrder) {
  AppendRequest r = request("c1", "a", ExpectedVersion::no_stream());
  r.streams.push_back(StreamAppend{"b", ExpectedVersion::no_stream(), {NewEvent{"T", "b1"}}});
  r.streams.push_back(StreamAppend{"a", ExpectedVersion::exactly(1), {NewEvent{"T", "a2"}}});
  ASSERT_TRUE(append_one(log(), std::move(r)));
  auto events = log().read_forward(Position{1}, 10).value();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].envelope.stream_id(), "b");
  EXPECT_EQ(events[2].envelope.stream_id(), "a");
  EXPECT_EQ(events[2].envelope.stream_version(), 2u);
  auto stale = request("c2", "a", ExpectedVersion::exactly(2));
  stale.streams.push_back(StreamAppend{"a", ExpectedVersion::exactly(2), {NewEvent{"T", "x"}}});  // is 3 by then
  ASSERT_FALSE(append_one(log(), std::move(stale)));
  EXPECT_EQ(log().head().position.value, 3u);
}

TEST_P(EventLogContractTest, RefusesEmptyCommandIdAndEmptyAppend) {
  auto no_id = append_one(log(), request("", "s", ExpectedVersion::any()));
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().code, Errc::invalid_argument);
  auto no_events = append_one(log(), request("x", "s", ExpectedVersion::any(), 0));
  ASSERT_FALSE(no_events);
  EXPECT_EQ(no_events.error().code, Errc::invalid_argument);
  EXPECT_EQ(log().head().position.value, 0u);
}

TEST_P(EventLogContractTest, ReadStreamReturnsOnlyThatStreamFromAVersion) {
  ASSERT_TRUE(append_one(log(), request("c1", "offer-1", ExpectedVersion::any(), 3)));
  ASSERT_TRUE(append_one(log(), request("c2", "offer-10", ExpectedVersion::any(), 2)));
  auto events = log().read_stream("offer-1", StreamVersion{2}, 10).value();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].envelope.stream_version(), 2u);
  EXPECT_EQ(events[1].envelope.position(), 3u);
}

TEST_P(EventLogContractTest, ChainLinksEachEventToThePrevious) {
  ASSERT_TRUE(append_one(log(), request("c1", "s", ExpectedVersion::any(), 4)));
  auto events = log().read_forward(Position{1}, 10).value();
  std::string prev = genesis_hash();
  for (const auto& e : events) {
    EXPECT_EQ(e.envelope.prev_hash(), prev);
    EXPECT_EQ(e.hash, chain_hash(prev, e.envelope_bytes));
    prev = e.hash;
  }
  EXPECT_EQ(log().head().hash, prev);
  auto report = log().verify_chain(Position{1}, Position{0}).value();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.checked, 4u);
}

TEST_P(EventLogContractTest, VerifyFindsTheAlteredPosition) {
  ASSERT_TRUE(append_one(log(), request("c1", "s", ExpectedVersion::any(), 5)));
  tamper_with_payload(3);

  auto report = log().verify_chain(Position{1}, Position{0}).value();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad.value, 3u);
  EXPECT_EQ(report.checked, 2u);
  // A range that ends before the damage still verifies.
  EXPECT_TRUE(log().verify_chain(Position{1}, Position{2}).value().ok);
}

TEST_P(EventLogContractTest, EverythingSurvivesReopen) {
  ASSERT_TRUE(append_one(log(), request("c1", "s", ExpectedVersion::any(), 3)));
  const Head before = log().head();
  reopen();
  EXPECT_EQ(log().head().position, before.position);
  EXPECT_EQ(log().head().hash, before.hash);
  EXPECT_EQ(log().stream_version("s").value().value, 3u);
  EXPECT_TRUE(log().find_command("c1").value().has_value());
  auto next = append_one(log(), request("c2", "s", ExpectedVersion::exactly(3)));
  ASSERT_TRUE(next);
  EXPECT_EQ(next.value().first.value, 4u);
  EXPECT_TRUE(log().verify_chain(Position{1}, Position{0}).value().ok);
}

}  // namespace
}  // namespace placement::storage
