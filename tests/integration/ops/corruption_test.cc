// Corruption caught by the real placementd: an event's stored value altered with RocksDB while the
// server is stopped (the start refuses, naming the position, or serves reads only when asked), a
// stale snapshot (discarded, the views rebuilt from the log), and a table file damaged while the
// server runs (the scrub finds it; /metrics shows the scrub's progress).

#include <fstream>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "placement/v1/proof_service.grpc.pb.h"
#include "storage/keys.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/grpc_client.h"
#include "tests/support/http_get.h"
#include "tests/support/list_all.h"
#include "tests/support/offer_requests.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

constexpr int kLogBrokenExitCode = 65;  // run.cc

void register_offers(testing::ServerProcess& server, const std::string& prefix, int count) {
  auto offers = v1::OfferService::NewStub(server.channel());
  for (int i = 1; i <= count; ++i) {
    const std::string id = prefix + std::to_string(i);
    v1::CommandResult result;
    const auto status =
        offers->RegisterOffer(testing::as_operator().get(), testing::simple_offer_request(id, id), &result);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
}

std::vector<std::string> offer_ids(testing::ServerProcess& server) {
  auto offers = v1::OfferService::NewStub(server.channel());
  v1::ListOffersResponse all;
  const auto status = testing::list_all_offers(*offers, testing::as_admin, v1::ListOffersRequest(), &all);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> ids;
  for (const auto& offer : all.offers()) ids.push_back(offer.offer_id());
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The first position of a stream, read with RocksDB directly (the server is stopped).
std::uint64_t first_position_of(storage::RocksDbEventLog& log, const std::string& stream) {
  auto events = log.read_stream(stream, StreamVersion{1}, 1);
  EXPECT_TRUE(events && !events.value().empty());
  return events && !events.value().empty() ? events.value().front().position().value : 0;
}

std::string metric_line(const std::string& metrics, const std::string& name) {
  const auto at = metrics.find("\n" + name + " ");
  if (at == std::string::npos) return "";
  return metrics.substr(at + 1, metrics.find('\n', at + 1) - at - 1);
}

double metric(const std::string& metrics, const std::string& name) {
  const std::string line = metric_line(metrics, name);
  return line.empty() ? -1 : std::stod(line.substr(name.size() + 1));
}

class Corruption : public ::testing::Test {
 protected:
  Corruption() : server_(dir_.path() / "data") {}

  std::string data() const { return (dir_.path() / "data").string(); }

  // Offers o1..o3 written, the server stopped; then one byte of the stored value of offer o2's
  // first event changed (its stored hash left as it was). Returns that position.
  std::uint64_t alter_an_event() {
    EXPECT_TRUE(server_.start()) << server_.error();
    register_offers(server_, "o", 3);
    EXPECT_EQ(server_.stop(), 0);
    auto opened = storage::RocksDbEventLog::open(data(), {.create_if_missing = false});
    EXPECT_TRUE(opened) << opened.error().message;
    auto& log = *opened.value();
    const std::uint64_t position = first_position_of(log, "offer-o2");
    std::string value;
    EXPECT_TRUE(log.db().Get(rocksdb::ReadOptions(), &log.events_family(), storage::event_key(position), &value).ok());
    value[value.size() / 2] ^= 0x20;
    EXPECT_TRUE(log.db().Put(rocksdb::WriteOptions(), &log.events_family(), storage::event_key(position), value).ok());
    return position;
  }

  int run_to_exit(std::vector<std::string> extra, std::string* output) {
    std::vector<std::string> args = {"--data",
                                     data(),
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--admin-listen",
                                     "127.0.0.1:0",
                                     "--token-secret-file",
                                     server_.token_secret_file()};
    args.insert(args.end(), extra.begin(), extra.end());
    return server_.run_to_exit(args, output);
  }

  testing::TempDir dir_;
  testing::ServerProcess server_;
};

// What an auditor's request for a checkpoint of the head gets.
grpc::StatusCode create_checkpoint_on(const testing::ServerProcess& server) {
  auto proofs = v1::ProofService::NewStub(server.channel());
  v1::CheckpointResponse checkpoint;
  return proofs->CreateCheckpoint(testing::as_auditor().get(), v1::CreateCheckpointRequest(), &checkpoint).error_code();
}

TEST_F(Corruption, AnAlteredEventStopsTheStartNamingItsPosition) {
  const std::uint64_t position = alter_an_event();
  ASSERT_GT(position, 0u);
  std::string output;
  EXPECT_EQ(run_to_exit({}, &output), kLogBrokenExitCode) << output;
  const std::string named = "the log is broken at position " + std::to_string(position) + ": hash does not match";
  EXPECT_NE(output.find(named), std::string::npos) << output;
  EXPECT_NE(output.find("refusing to serve (--on-corruption refuse)"), std::string::npos) << output;
  EXPECT_EQ(output.find("listening on"), std::string::npos) << "it served:\n" << output;
}

TEST_F(Corruption, ReadOnlyServesTheEventsBeforeTheBreakAndRefusesWrites) {
  const std::uint64_t position = alter_an_event();
  server_.set_extra_args({"--on-corruption", "read-only"});
  ASSERT_TRUE(server_.start()) << server_.error();

  // Reads: the views of the events before the break (o1 only: o2's first event is the broken one).
  EXPECT_EQ(offer_ids(server_), std::vector<std::string>{"o1"});
  auto audit = v1::AuditService::NewStub(server_.channel());
  v1::VerifyChainRequest verify;
  v1::VerifyChainResponse verified;
  ASSERT_TRUE(audit->VerifyChain(testing::as_auditor().get(), verify, &verified).ok());
  EXPECT_FALSE(verified.ok());
  EXPECT_EQ(verified.first_bad_position(), position);

  // Writes: refused with DATA_LOSS naming the position; the head does not move.
  auto offers = v1::OfferService::NewStub(server_.channel());
  v1::CommandResult result;
  const auto refused =
      offers->RegisterOffer(testing::as_operator().get(), testing::simple_offer_request("o9", "o9"), &result);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::DATA_LOSS) << refused.error_message();
  EXPECT_NE(refused.error_message().find("broken at position " + std::to_string(position)), std::string::npos)
      << refused.error_message();
  EXPECT_NE(refused.error_message().find("serving reads only, refusing writes"), std::string::npos);
  // Nothing is signed on a broken log's word, on request either.
  EXPECT_EQ(create_checkpoint_on(server_), grpc::StatusCode::DATA_LOSS);

  // Probes: not ready, saying where; health not serving overall, the services serving (reads).
  const auto ready = testing::http_get(server_.admin_address(), "/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_NE(ready.body.find("broken at position " + std::to_string(position)), std::string::npos) << ready.body;
  const auto metrics = testing::http_get(server_.admin_address(), "/metrics").body;
  EXPECT_EQ(metric(metrics, "placement_log_integrity_ok"), 0) << metrics;
  EXPECT_EQ(metric(metrics, "placement_log_integrity_broken_position"), static_cast<double>(position));
  EXPECT_EQ(metric(metrics, "placement_projection_position"), static_cast<double>(position - 1));
  auto health = grpc::health::v1::Health::NewStub(server_.channel());
  grpc::health::v1::HealthCheckRequest whole;
  grpc::health::v1::HealthCheckResponse answer;
  ASSERT_TRUE(health->Check(testing::as_admin().get(), whole, &answer).ok());
  EXPECT_EQ(answer.status(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  grpc::health::v1::HealthCheckRequest planning;
  planning.set_service("placement.v1.PlanningService");
  ASSERT_TRUE(health->Check(testing::as_admin().get(), planning, &answer).ok());
  EXPECT_EQ(answer.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  EXPECT_EQ(server_.stop(), 0);
  EXPECT_NE(server_.output().find("the log is broken at position " + std::to_string(position)), std::string::npos);
}

TEST_F(Corruption, AStaleSnapshotIsDiscardedAndTheViewsAreRebuiltFromTheLog) {
  // Another ledger with fewer events: its snapshot, at a position this log also has, was taken of
  // another history (other offers, other hashes).
  testing::TempDir other_dir;
  testing::ServerProcess other(other_dir.path() / "data");
  ASSERT_TRUE(other.start()) << other.error();
  register_offers(other, "x", 2);
  ASSERT_EQ(other.stop(), 0);  // a snapshot at its head, at shutdown
  std::uint64_t stale_position = 0;
  std::string stale_value;
  {
    auto opened = storage::RocksDbEventLog::open((other_dir.path() / "data").string(), {.create_if_missing = false});
    ASSERT_TRUE(opened) << opened.error().message;
    auto& log = *opened.value();
    std::unique_ptr<rocksdb::Iterator> it(log.db().NewIterator(rocksdb::ReadOptions(), &log.snapshots_family()));
    it->SeekToLast();
    ASSERT_TRUE(it->Valid()) << "no snapshot taken at shutdown";
    stale_position = storage::decode_u64(it->key().ToStringView()).value();
    stale_value = it->value().ToString();
  }

  ASSERT_TRUE(server_.start()) << server_.error();
  register_offers(server_, "s", 5);
  ASSERT_EQ(server_.stop(), 0);
  {
    auto opened = storage::RocksDbEventLog::open(data(), {.create_if_missing = false});
    ASSERT_TRUE(opened) << opened.error().message;
    auto& log = *opened.value();
    ASSERT_GT(log.head().position.value, stale_position);
    auto& snapshots = log.snapshots_family();
    std::unique_ptr<rocksdb::Iterator> it(log.db().NewIterator(rocksdb::ReadOptions(), &snapshots));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      ASSERT_TRUE(log.db().Delete(rocksdb::WriteOptions(), &snapshots, it->key()).ok());
    ASSERT_TRUE(
        log.db().Put(rocksdb::WriteOptions(), &snapshots, storage::encode_u64(stale_position), stale_value).ok());
  }

  ASSERT_TRUE(server_.start()) << server_.error();
  const auto with_check = offer_ids(server_);
  EXPECT_EQ(with_check, (std::vector<std::string>{"s1", "s2", "s3", "s4", "s5"}));
  EXPECT_NE(server_.output().find("the snapshot at position " + std::to_string(stale_position) +
                                  " does not match the log at that position"),
            std::string::npos)
      << server_.output();
  ASSERT_EQ(server_.stop(), 0);

  // The same views as a rebuild from the first event; the stale snapshot is gone for good.
  server_.set_extra_args({"--ignore-snapshots"});
  ASSERT_TRUE(server_.start()) << server_.error();
  EXPECT_EQ(offer_ids(server_), with_check);
  ASSERT_EQ(server_.stop(), 0);
  auto opened = storage::RocksDbEventLog::open(data(), {.create_if_missing = false});
  ASSERT_TRUE(opened);
  auto newest = opened.value()->snapshot_at_or_before(Position{stale_position});
  ASSERT_TRUE(newest);
  EXPECT_FALSE(newest.value().has_value()) << "the stale snapshot is still stored";
}

// The events' table file of a server that has restarted once (its log replayed into a table file
// at open), found while it is stopped.
std::string events_table_file(const std::string& data) {
  auto opened = storage::RocksDbEventLog::open(data, {.create_if_missing = false});
  EXPECT_TRUE(opened) << opened.error().message;
  EXPECT_TRUE(opened.value()->db().Flush(rocksdb::FlushOptions(), &opened.value()->events_family()).ok());
  auto files = opened.value()->table_files();
  EXPECT_TRUE(files);
  for (const auto& file : files.value())
    if (file.family == "events") return file.path;
  ADD_FAILURE() << "no table file of the events";
  return "";
}

void flip_a_byte(const std::string& path, std::streamoff offset) {
  std::fstream bytes(path, std::ios::in | std::ios::out | std::ios::binary);
  bytes.seekg(offset);
  char c = 0;
  bytes.read(&c, 1);
  c = static_cast<char>(c ^ 0x40);
  bytes.seekp(offset);
  bytes.write(&c, 1);
}

// Polls /metrics until `done` holds (at most 30 s); the last text.
template <class Done> std::string wait_for_metrics(const testing::ServerProcess& server, Done done) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text = testing::http_get(server.admin_address(), "/metrics").body;
    if (done(text)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return text;
}

class Scrub : public Corruption {
 protected:
  // Offers written, the server restarted once so the events are in a table file; the scrub runs
  // a pass every second, unpaced. Returns that file.
  std::string start_with_events_in_a_table_file(std::vector<std::string> extra) {
    EXPECT_TRUE(server_.start()) << server_.error();
    register_offers(server_, "o", 20);
    EXPECT_EQ(server_.stop(), 0);
    const std::string file = events_table_file(data());
    extra.insert(extra.end(), {"--scrub-events-per-second", "1000000", "--scrub-bytes-per-second", "0",
                               "--scrub-pause-seconds", "1"});
    server_.set_extra_args(extra);
    EXPECT_TRUE(server_.start()) << server_.error();
    // A clean pass first: the progress is in /metrics.
    const auto clean = wait_for_metrics(server_, [](const std::string& text) {
      return text.find("placement_scrub_last_result{result=\"ok\"} 1") != std::string::npos;
    });
    EXPECT_NE(clean.find("placement_scrub_last_result{result=\"ok\"} 1"), std::string::npos) << clean;
    EXPECT_GE(metric(clean, "placement_scrub_passes"), 1);
    EXPECT_GT(metric(clean, "placement_scrub_pass_events_total"), 20);
    EXPECT_EQ(metric(clean, "placement_scrub_pass_events_checked"), metric(clean, "placement_scrub_pass_events_total"));
    EXPECT_GE(metric(clean, "placement_scrub_pass_table_files_checked"), 1);
    EXPECT_GT(metric(clean, "placement_scrub_pass_table_bytes_checked"), 0);
    EXPECT_EQ(metric(clean, "placement_log_integrity_ok"), 1);
    return file;
  }
};

TEST_F(Scrub, ADamagedTableFileIsFoundWhileServingAndWritesStop) {
  // The scrub's checksum pass reads each table file with its own reader (SstFileReader), not
  // through the database's block cache, so the damaged block is read from the file whether or
  // not the server has it cached.
  const std::string file = start_with_events_in_a_table_file({"--on-corruption", "read-only"});
  flip_a_byte(file, 20);
  const auto broken = wait_for_metrics(
      server_, [](const std::string& text) { return text.find("placement_log_integrity_ok 0") != std::string::npos; });
  EXPECT_EQ(metric(broken, "placement_log_integrity_ok"), 0) << broken;
  EXPECT_NE(broken.find("placement_scrub_last_result{result=\"broken\"} 1"), std::string::npos) << broken;
  const auto ready = testing::http_get(server_.admin_address(), "/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_NE(ready.body.find("found by the scrub"), std::string::npos) << ready.body;

  auto offers = v1::OfferService::NewStub(server_.channel());
  v1::CommandResult result;
  const auto refused =
      offers->RegisterOffer(testing::as_operator().get(), testing::simple_offer_request("late", "late"), &result);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::DATA_LOSS) << refused.error_message();
  EXPECT_FALSE(offer_ids(server_).empty()) << "reads go on under read-only";
  EXPECT_EQ(create_checkpoint_on(server_), grpc::StatusCode::DATA_LOSS) << "signed a checkpoint of a broken log";
  EXPECT_EQ(server_.stop(), 0);

  // The next start verifies the whole chain again (the mark was forgotten) and refuses.
  std::string output;
  EXPECT_EQ(run_to_exit({}, &output), kLogBrokenExitCode) << output;
  EXPECT_NE(output.find("the log is broken at position "), std::string::npos) << output;
}

TEST_F(Scrub, UnderRefuseABreakFoundWhileServingStopsTheServer) {
  const std::string file = start_with_events_in_a_table_file({});
  flip_a_byte(file, 20);
  std::optional<int> code;
  for (int i = 0; i < 300 && !code; ++i) {
    code = server_.poll_exit();
    if (!code) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(code.has_value()) << "still serving 30 s after the damage:\n" << server_.output();
  EXPECT_EQ(*code, kLogBrokenExitCode) << server_.output();
  EXPECT_NE(server_.output().find("found by the scrub"), std::string::npos) << server_.output();
  EXPECT_NE(server_.output().find("exiting (--on-corruption refuse)"), std::string::npos) << server_.output();
}

}  // namespace
}  // namespace placement
