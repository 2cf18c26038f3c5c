// proof_bench: what a proof costs when placementd serves it over gRPC, on a log of millions of
// events.
//
//   proof_bench write --data DIR [--events 10000000] [--batch 10000]
//     writes a data folder placementd opens as its own: N BlockGrantSet events (a planning input,
//     cheap to replay and small in memory, so a 10 M event log starts in seconds) through the
//     event codec and storage::RocksDbEventLog, whose appends keep the Merkle tree as the server's
//     do; grouped --batch commands per synced append.
//
//   proof_bench serve --target HOST:PORT --token-secret FILE [--calls 2000]
//     against placementd on that folder: makes a checkpoint of the head, then, interleaved, times
//     --calls of each: GetInclusionProof of a random position in the latest checkpoint's tree,
//     GetConsistencyProof from a random size to it, and the peer, GetLatestCheckpoint (the same
//     service, authentication and round trip, one stored record and no tree read). Median, p99 and
//     max of each, one human line and one JSON line each. Exit 1 when a call fails.

#include <grpcpp/grpcpp.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <string_view>

#include "bench/bench_caller.h"
#include "bench/latency_recorder.h"
#include "placement/v1/proof_service.grpc.pb.h"
#include "services/codec/event_codec.h"
#include "services/domain/events.h"
#include "services/privacy/citizen_keys.h"
#include "services/privacy/pseudonymizer.h"
#include "storage/rocksdb_event_log.h"

namespace {

namespace fs = std::filesystem;
namespace v1 = placement::v1;
using namespace placement;
using bench::LatencyRecorder;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kUsage = R"(usage:
  proof_bench write --data DIR [--events 10000000] [--batch 10000]
  proof_bench serve --target HOST:PORT --token-secret FILE [--calls 2000]
)";

template <class Int> bool parse_number(std::string_view text, Int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

int write(const fs::path& data, std::uint64_t events, std::size_t batch_size) {
  if (fs::exists(data)) {
    std::cerr << "proof_bench: --data must name a folder that does not exist yet\n";
    return 2;
  }
  auto log = storage::RocksDbEventLog::open(data.string(), {.create_if_missing = true, .min_free_bytes = 0});
  if (!log) {
    std::cerr << "proof_bench: " << log.error().message << "\n";
    return 1;
  }
  // The folder's other stores, as placementd expects beside a log.
  if (auto key = privacy::Pseudonymizer::from_key_file(data.string() + ".pseudonym-key", true); !key) return 1;
  if (auto keys = privacy::CitizenKeys::open(data.string() + ".citizen-keys"); !keys) return 1;
  const auto started = Clock::now();
  std::mt19937_64 random(21);
  std::uint64_t command = 0;
  while (log.value()->head().position.value < events) {
    std::vector<storage::AppendRequest> batch;
    for (std::size_t i = 0; i < batch_size && log.value()->head().position.value + batch.size() < events; ++i) {
      const domain::Event event = domain::BlockGrantSet{static_cast<std::int32_t>(1081 + command % 5),
                                                        2000 + static_cast<int>(command / 5 % 40),
                                                        Ore{static_cast<std::int64_t>(random() % 1'000'000'000'000)}};
      storage::AppendRequest request;
      request.command_id = "proof-bench-" + std::to_string(++command);
      request.actor.set_subject("proof-bench");
      request.actor.set_role(v1::ROLE_ADMIN);
      request.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000 + command));
      request.streams.push_back({domain::stream_of(event), storage::ExpectedVersion::any(), {}});
      request.streams.back().events.push_back(codec::encode_event(event));
      batch.push_back(std::move(request));
    }
    for (const auto& result : log.value()->append(std::move(batch)).results)
      if (!result) {
        std::cerr << "proof_bench: append failed: " << result.error().message << "\n";
        return 1;
      }
  }
  std::cout << "wrote " << log.value()->head().position.value << " events (Merkle tree of "
            << log.value()->merkle().size() << " leaves) in "
            << std::chrono::duration<double>(Clock::now() - started).count() << " s\n";
  return 0;
}

struct Timed {
  std::string name;
  LatencyRecorder latencies;
};

void report(const Timed& timed) {
  std::printf("%-22s median %6lld us   p99 %6lld us   max %6lld us   (%zu calls)\n", timed.name.c_str(),
              static_cast<long long>(timed.latencies.percentile_us(0.5)),
              static_cast<long long>(timed.latencies.percentile_us(0.99)),
              static_cast<long long>(timed.latencies.percentile_us(1.0)), timed.latencies.count());
  std::printf("{\"kind\":\"%s\",\"calls\":%zu,\"p50_us\":%lld,\"p99_us\":%lld,\"max_us\":%lld}\n", timed.name.c_str(),
              timed.latencies.count(), static_cast<long long>(timed.latencies.percentile_us(0.5)),
              static_cast<long long>(timed.latencies.percentile_us(0.99)),
              static_cast<long long>(timed.latencies.percentile_us(1.0)));
}

int serve(const std::string& target, const std::string& secret_file, int calls) {
  bench::BenchCaller auditor{auth::Role::auditor, 0, "bench-auditor", {}};
  if (!auditor.mint(secret_file)) return 1;
  auto proofs = v1::ProofService::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  const auto call = [&](auto method, const auto& request, auto& response) {
    grpc::ClientContext context;
    bench::attach_credentials(context, auditor);
    return ((*proofs).*method)(&context, request, &response);
  };
  v1::CheckpointResponse checkpoint;
  if (auto status = call(&v1::ProofService::Stub::CreateCheckpoint, v1::CreateCheckpointRequest(), checkpoint);
      !status.ok()) {
    std::cerr << "proof_bench: CreateCheckpoint: " << status.error_message() << "\n";
    return 1;
  }
  const std::uint64_t size = checkpoint.tree_size();
  std::cout << "checkpoint of tree size " << size << "\n";
  std::mt19937_64 random(6962);
  Timed inclusion{"inclusion proof", {}}, consistency{"consistency proof", {}}, peer{"latest checkpoint (peer)", {}};
  std::size_t hashes = 0;
  const auto timed = [](Timed& into, const std::function<grpc::Status()>& once) {
    const auto started = Clock::now();
    const grpc::Status status = once();
    into.latencies.record(Clock::now() - started);
    if (!status.ok()) std::cerr << "proof_bench: " << into.name << ": " << status.error_message() << "\n";
    return status.ok();
  };
  for (int i = 0; i < calls; ++i) {
    v1::InclusionProofRequest included;
    included.set_position(1 + random() % size);
    v1::InclusionProofResponse path;
    if (!timed(inclusion, [&] { return call(&v1::ProofService::Stub::GetInclusionProof, included, path); })) return 1;
    hashes += static_cast<std::size_t>(path.path_size());
    v1::ConsistencyProofRequest between;
    between.set_from_size(1 + random() % size);
    v1::ConsistencyProofResponse proof;
    if (!timed(consistency, [&] { return call(&v1::ProofService::Stub::GetConsistencyProof, between, proof); }))
      return 1;
    v1::CheckpointResponse latest;
    if (!timed(peer, [&] {
          return call(&v1::ProofService::Stub::GetLatestCheckpoint, v1::GetLatestCheckpointRequest(), latest);
        }))
      return 1;
  }
  std::printf("tree size %llu, %.1f hashes per inclusion proof\n", static_cast<unsigned long long>(size),
              static_cast<double>(hashes) / calls);
  report(inclusion);
  report(consistency);
  report(peer);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string_view mode = argv[1];
  fs::path data;
  std::string target = "127.0.0.1:50051", secret;
  std::uint64_t events = 10'000'000;
  std::size_t batch = 10'000;
  int calls = 2000;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i], value = argv[i + 1];
    bool ok = true;
    if (flag == "--data") data = std::string(value);
    else if (flag == "--events") ok = parse_number(value, events) && events > 0;
    else if (flag == "--batch") ok = parse_number(value, batch) && batch > 0;
    else if (flag == "--target") target = std::string(value);
    else if (flag == "--token-secret") secret = std::string(value);
    else if (flag == "--calls") ok = parse_number(value, calls) && calls > 0;
    else ok = false;
    if (!ok) {
      std::cerr << "proof_bench: bad option " << flag << " " << value << "\n" << kUsage;
      return 2;
    }
  }
  if (mode == "write" && !data.empty()) return write(data, events, batch);
  if (mode == "serve" && !secret.empty()) return serve(target, secret, calls);
  std::cerr << kUsage;
  return 2;
}
