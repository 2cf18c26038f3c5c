// view_bench: latency of the planners' views through gRPC against a running placementd, one call at
// a time (a planner's screen, not a load test).
//
//   capacity   PlanningService.GetCapacity at --date grouped by region × target group × level
//   financing  PlanningService.GetFinancing over [--from, --to) (every municipality, region, offer)
//
// The first call of each view is reported apart ("first"): it may build the live view cache after
// the last write. Then --calls calls each give p50/p99/max. One human line and one JSON line per
// view. Exit 1 when a call fails.

#include <grpcpp/grpcpp.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>
#include <string_view>

#include "bench/bench_caller.h"
#include "bench/latency_recorder.h"
#include "placement/v1/planning_service.grpc.pb.h"

namespace {

namespace v1 = placement::v1;
using placement::bench::attach_credentials;
using placement::bench::BenchCaller;
using placement::bench::LatencyRecorder;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kUsage = R"(usage: view_bench --token-secret FILE [options]

options:
  --target HOST:PORT   placementd (default 127.0.0.1:50051)
  --token-secret FILE  the server's token secret file (tokens for a planner are minted with it)
  --calls N            measured calls per view (default 200)
  --date YYYY-MM-DD    capacity date (default 2026-10-01)
  --year YYYY          financing year [YYYY-01-01, YYYY+1-01-01) (default 2025)
)";

v1::CalendarDate date(int year, int month, int day) {
  v1::CalendarDate out;
  out.set_year(year);
  out.set_month(month);
  out.set_day(day);
  return out;
}

// Calls `call` once apart and then `calls` times; prints the latencies. False when a call failed.
bool measure(const std::string& view, int calls, const std::function<grpc::Status(std::size_t&)>& call) {
  LatencyRecorder latencies;
  std::size_t rows = 0;
  auto started = Clock::now();
  if (auto status = call(rows); !status.ok()) {
    std::cerr << "view_bench: " << view << " failed: " << status.error_message() << "\n";
    return false;
  }
  const auto first_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
  for (int i = 0; i < calls; ++i) {
    started = Clock::now();
    if (auto status = call(rows); !status.ok()) {
      std::cerr << "view_bench: " << view << " failed: " << status.error_message() << "\n";
      return false;
    }
    latencies.record(Clock::now() - started);
  }
  std::printf("%s: %zu rows, first call %lld us, then p50 %lld us, p99 %lld us, max %lld us over %d calls\n",
              view.c_str(), rows, static_cast<long long>(first_us),
              static_cast<long long>(latencies.percentile_us(0.5)),
              static_cast<long long>(latencies.percentile_us(0.99)),
              static_cast<long long>(latencies.percentile_us(1.0)), calls);
  std::printf(
      "{\"bench\":\"view_bench\",\"view\":\"%s\",\"rows\":%zu,\"calls\":%d,\"first_us\":%lld,\"p50_us\":%lld,"
      "\"p99_us\":%lld,\"max_us\":%lld}\n",
      view.c_str(), rows, calls, static_cast<long long>(first_us), static_cast<long long>(latencies.percentile_us(0.5)),
      static_cast<long long>(latencies.percentile_us(0.99)), static_cast<long long>(latencies.percentile_us(1.0)));
  std::fflush(stdout);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string target = "127.0.0.1:50051", token_secret;
  int calls = 200, year = 2025;
  v1::CalendarDate on = date(2026, 10, 1);
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "view_bench: " << arg << " needs a value\n" << kUsage;
      return 2;
    }
    const std::string value = argv[++i];
    if (arg == "--target") target = value;
    else if (arg == "--token-secret") token_secret = value;
    else if (arg == "--calls") calls = std::stoi(value);
    else if (arg == "--year") year = std::stoi(value);
    else if (arg == "--date") {
      int y = 0, m = 0, d = 0;
      if (std::sscanf(value.c_str(), "%d-%d-%d", &y, &m, &d) != 3) {
        std::cerr << "view_bench: --date must be YYYY-MM-DD\n";
        return 2;
      }
      on = date(y, m, d);
    } else {
      std::cerr << "view_bench: unknown option " << arg << "\n" << kUsage;
      return 2;
    }
  }
  BenchCaller planner = BenchCaller::planner();
  if (!token_secret.empty() && !planner.mint(token_secret)) return 1;
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  auto planning = v1::PlanningService::NewStub(channel);

  v1::CapacityViewRequest capacity;
  *capacity.mutable_date() = on;
  capacity.add_group_by(v1::GROUP_FIELD_REGION);
  capacity.add_group_by(v1::GROUP_FIELD_TARGET_GROUP);
  capacity.add_group_by(v1::GROUP_FIELD_LEVEL);
  const bool capacity_ok = measure("capacity region x group x level", calls, [&](std::size_t& rows) {
    grpc::ClientContext context;
    attach_credentials(context, planner);
    v1::CapacityViewResponse response;
    auto status = planning->GetCapacity(&context, capacity, &response);
    rows = static_cast<std::size_t>(response.rows_size());
    return status;
  });

  v1::FinancingRequest financing;
  *financing.mutable_from() = date(year, 1, 1);
  *financing.mutable_to() = date(year + 1, 1, 1);
  const bool financing_ok = measure("financing " + std::to_string(year), calls, [&](std::size_t& rows) {
    grpc::ClientContext context;
    attach_credentials(context, planner);
    v1::FinancingResponse response;
    auto status = planning->GetFinancing(&context, financing, &response);
    rows = static_cast<std::size_t>(response.municipalities_size());
    return status;
  });
  return capacity_ok && financing_ok ? 0 : 1;
}
