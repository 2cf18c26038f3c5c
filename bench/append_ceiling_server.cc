// append_ceiling_server: the fastest a durable gRPC append service can be on this machine, as the
// ceiling placementd's command throughput is compared with (docs/BENCHMARKS.md §2).
//
// It serves the four PlacementService RPCs the load generator sends (request, reserve, admit,
// discharge) with the callback API. A handler only enqueues the request's bytes and returns; one
// writer thread takes every pending call, writes them as one WriteBatch (one key per call, the
// serialised request as value) with sync=true, then answers each call with its position. No
// domain logic, no authentication, no projections, no hash chain: what is left is gRPC, protobuf
// and one fsync per group.
//
//   append_ceiling_server --dir PATH [--listen 127.0.0.1:0] [--ready-file FILE]
//
// Runs until SIGINT or SIGTERM, then stops cleanly (answers what it has, closes RocksDB).

#include <grpcpp/grpcpp.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "placement/v1/placement_service.grpc.pb.h"

namespace {

namespace v1 = placement::v1;

// One accepted call waiting for its group to be durable.
struct PendingAppend {
  std::string bytes;
  v1::PlacementResponse* response;
  grpc::ServerUnaryReactor* reactor;
};

// The single writer: groups whatever is pending into one synced WriteBatch.
class GroupWriter {
 public:
  explicit GroupWriter(rocksdb::DB& db) : db_(db), thread_([this] { loop(); }) {}
  ~GroupWriter() { stop(); }

  void enqueue(PendingAppend append) {
    {
      std::lock_guard lock(mutex_);
      pending_.push_back(std::move(append));
    }
    wake_.notify_one();
  }

  // Synced writes and the appends they carried; read after stop().
  std::uint64_t batches_written() const { return batches_written_; }
  std::uint64_t appends_written() const { return appends_written_; }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void loop() {
    std::vector<PendingAppend> group;
    rocksdb::WriteOptions synced;
    synced.sync = true;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
        if (pending_.empty()) return;  // stopping, nothing left
        group.swap(pending_);
      }
      rocksdb::WriteBatch batch;
      const std::uint64_t first = next_position_;
      for (const auto& append : group) {
        char key[8];
        for (int i = 0; i < 8; ++i) key[i] = static_cast<char>(next_position_ >> (56 - 8 * i));
        ++next_position_;
        batch.Put(rocksdb::Slice(key, sizeof key), append.bytes);
      }
      const auto written = db_.Write(synced, &batch);
      if (written.ok()) {
        ++batches_written_;
        appends_written_ += group.size();
      }
      std::uint64_t position = first;
      for (auto& append : group) {
        if (written.ok()) {
          append.response->mutable_result()->set_first_position(position);
          append.response->mutable_result()->set_last_position(position);
          append.reactor->Finish(grpc::Status::OK);
        } else {
          append.reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, written.ToString()));
        }
        ++position;
      }
      group.clear();
    }
  }

  rocksdb::DB& db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<PendingAppend> pending_;
  bool stopping_ = false;
  std::uint64_t next_position_ = 1;    // writer thread only
  std::uint64_t batches_written_ = 0;  // writer thread only until stop()
  std::uint64_t appends_written_ = 0;
  std::thread thread_;
};

class CeilingService final : public v1::PlacementService::CallbackService {
 public:
  explicit CeilingService(GroupWriter& writer) : writer_(writer) {}

  grpc::ServerUnaryReactor* RequestPlacement(grpc::CallbackServerContext* context,
                                             const v1::RequestPlacementRequest* request,
                                             v1::PlacementResponse* response) override {
    return enqueue(context, *request, response);
  }
  grpc::ServerUnaryReactor* ReservePlace(grpc::CallbackServerContext* context, const v1::ReservePlaceRequest* request,
                                         v1::PlacementResponse* response) override {
    return enqueue(context, *request, response);
  }
  grpc::ServerUnaryReactor* AdmitPlacement(grpc::CallbackServerContext* context,
                                           const v1::AdmitPlacementRequest* request,
                                           v1::PlacementResponse* response) override {
    return enqueue(context, *request, response);
  }
  grpc::ServerUnaryReactor* DischargePlacement(grpc::CallbackServerContext* context,
                                               const v1::DischargePlacementRequest* request,
                                               v1::PlacementResponse* response) override {
    return enqueue(context, *request, response);
  }

 private:
  grpc::ServerUnaryReactor* enqueue(grpc::CallbackServerContext* context, const google::protobuf::Message& request,
                                    v1::PlacementResponse* response) {
    auto* reactor = context->DefaultReactor();
    writer_.enqueue({request.SerializeAsString(), response, reactor});
    return reactor;
  }

  GroupWriter& writer_;
};

int usage_error(std::string_view message) {
  std::cerr << "append_ceiling_server: " << message
            << "\nusage: append_ceiling_server --dir PATH [--listen HOST:PORT] [--ready-file FILE]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, listen = "127.0.0.1:0", ready_file;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return usage_error("option " + std::string(arg) + " needs a value");
    if (arg == "--dir") dir = argv[++i];
    else if (arg == "--listen") listen = argv[++i];
    else if (arg == "--ready-file") ready_file = argv[++i];
    else return usage_error("unknown option " + std::string(arg));
  }
  if (dir.empty()) return usage_error("--dir is required");

  // Signals are taken by sigwait below, so block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (auto opened = rocksdb::DB::Open(options, dir, &raw); !opened.ok()) {
    std::cerr << "append_ceiling_server: cannot open " << dir << ": " << opened.ToString() << "\n";
    return 1;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  auto writer = std::make_unique<GroupWriter>(*db);
  CeilingService service(*writer);

  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::cerr << "append_ceiling_server: cannot listen on " << listen << "\n";
    return 1;
  }
  const std::string address = listen.substr(0, listen.rfind(':')) + ":" + std::to_string(port);
  if (!ready_file.empty()) {  // written whole, then renamed, so a script never reads half of it
    std::ofstream(ready_file + ".tmp") << address << "\n";
    std::rename((ready_file + ".tmp").c_str(), ready_file.c_str());
  }
  std::cerr << "append_ceiling_server: serving on " << address << "\n";

  int signal = 0;
  sigwait(&stop_signals, &signal);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server->Wait();
  writer->stop();
  // Appends per fsync, to compare with placementd's placement_batch_commands.
  std::cerr << "append_ceiling_server: " << writer->appends_written() << " appends in " << writer->batches_written()
            << " synced batches\n";
  writer.reset();
  db.reset();
  return 0;
}
