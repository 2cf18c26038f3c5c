#pragma once
// The mixed workload of the crash tests, and the checks made on what survived a crash: clients
// register offers and move citizens through request, reservation, admission and discharge, each
// command with a unique command id, recording what the server acknowledged; after a restart the
// log must hold every acknowledged command exactly once where it was told, no command in part,
// an unbroken chain, the key store every admitted citizen, and live views equal to a rebuild.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/channel.h>

#include "placement/v1/common.pb.h"
#include "placement/v1/vocabulary.pb.h"

namespace placement::testing {

constexpr std::uint32_t kWorkloadMunicipality = 101;

v1::CalendarDate day(int year, int month, int d);
// A valid CPR number, unique per (client < 12, citizen < 1,120,000): born in the 1980s.
std::string cpr_for(int client, int citizen);

struct Ack {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

// What the server acknowledged, by command id. Thread-safe.
class Recorder {
 public:
  void record(const std::string& command_id, const v1::CommandResult& result);
  std::map<std::string, Ack> acks() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Ack> acks_;
};

struct WorkloadOptions {
  // Every this many citizens (0: never), the client erases a discharged citizen of its own.
  int erase_every = 0;
};

// One client's workload in `round`: its offer (command ids stable across rounds, so a round may
// retry a registration cut off before), then citizens through the lifecycle until a call fails
// (the server died). `citizens` counts citizens whose admission was acknowledged.
void run_client(const std::string& address, int round, int client, Recorder& recorder, std::atomic<int>& citizens,
                const WorkloadOptions& options = {});

// The log holds every acknowledged command exactly once at its acknowledged positions, each
// command's events as one unbroken run, positions 1..head without a gap, and the chain verifies.
void expect_acknowledged_commands_intact(const std::shared_ptr<grpc::Channel>& channel,
                                         const std::map<std::string, Ack>& acks);
// Every citizen whose admission was acknowledged and who was neither discharged nor erased is
// still known by the key store (a second request for them is refused as a duplicate). Returns
// how many were checked.
int expect_admitted_citizens_known(const std::shared_ptr<grpc::Channel>& channel,
                                   const std::map<std::string, Ack>& acks);
// Every erasure the log records is complete: the citizen named has no placements any more.
// Returns how many were checked.
int expect_recorded_erasures_done(const std::shared_ptr<grpc::Channel>& channel);
// The live capacity and financing views equal the same views rebuilt from the log at its head.
void expect_views_equal_a_rebuild(const std::shared_ptr<grpc::Channel>& channel);

}  // namespace placement::testing
