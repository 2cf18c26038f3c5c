// load_generator: durable placement commands per second through gRPC, with N commands in flight.
//
// Each of the N in-flight slots runs placement cycles back to back: RequestPlacement →
// ReservePlace → AdmitPlacement → DischargePlacement, each step sent when the previous one is
// answered (it needs the previous one's effect). Cycles spread over --offers offers registered at
// the start, with more places than a run can use, and every command has a unique id, so no command
// is a duplicate and none is refused for lack of capacity. Calls use the gRPC callback API; their
// completions run on gRPC's own threads (one or two on this machine), which also start the next call.
//
// The same client drives bench/append_ceiling_server (--no-setup): the ceiling answers the same four
// RPCs by appending their bytes, so the two figures differ only by what the server does per command.
//
// Output: one human line, then one JSON line (for bench/run_all). Exit 1 when any command failed
// (the figures are then not valid), 2 for bad flags.

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_caller.h"
#include "bench/latency_recorder.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"

namespace {

namespace v1 = placement::v1;
using placement::bench::attach_credentials;
using placement::bench::BenchCaller;
using placement::bench::LatencyRecorder;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kUsage = R"(usage: load_generator [options]

Runs placement cycles (request, reserve, admit, discharge) against a placementd, with N commands in
flight, and prints commands/s and latency percentiles of single commands.

options:
  --target HOST:PORT   server address                                    (default 127.0.0.1:50051)
  --in-flight N        commands in flight at any time                     (default 16)
  --seconds S          measured duration                                  (default 10)
  --warmup S           unmeasured run before it                           (default 2)
  --offers K           offers registered at the start to spread cycles on (default 1000)
  --no-setup           register nothing (for bench/append_ceiling_server)
  --label NAME         name printed with the result                       (default placement)
  --token-secret FILE  the server's token secret file: callers get bearer tokens signed with it
                       (placementd's default is <data>.token-secret); not needed for the ceiling
  --help               this text
)";

// The 98 municipality codes of deploy/reference/municipalities.csv: the paying municipality of a
// cycle rotates over them, as caseworkers all over the country would send commands.
constexpr std::uint32_t kMunicipalities[] = {
    101, 147, 151, 153, 155, 157, 159, 161, 163, 165, 167, 169, 173, 175, 183, 185, 187, 190, 201, 210,
    217, 219, 223, 230, 240, 250, 253, 259, 260, 265, 269, 270, 306, 316, 320, 326, 329, 330, 336, 340,
    350, 360, 370, 376, 390, 400, 410, 420, 430, 440, 450, 461, 479, 480, 482, 492, 510, 530, 540, 550,
    561, 563, 573, 575, 580, 607, 615, 621, 630, 657, 661, 665, 671, 706, 707, 710, 727, 730, 740, 741,
    746, 751, 756, 760, 766, 773, 779, 787, 791, 810, 813, 820, 825, 840, 846, 849, 851, 860};
constexpr std::uint32_t kRegions[] = {1081, 1082, 1083, 1084, 1085};
// Open places per offer: a large offer. Stays move on by a day per cycle through the offers
// (stay_day below), so an offer holds only the few places its cycles in flight hold.
constexpr std::int32_t kPlacesPerOffer = 100;

struct Options {
  std::string target = "127.0.0.1:50051";
  int in_flight = 16;
  double seconds = 10;
  double warmup = 2;
  int offers = 1000;
  bool setup = true;
  std::string label = "placement";
  std::string token_secret;
};

v1::CalendarDate date(int year, int month, int day) {
  v1::CalendarDate out;
  out.set_year(year);
  out.set_month(month);
  out.set_day(day);
  return out;
}

// The n-th day after 2030-01-02. Cycle c uses offer c % offers and stays from day c / offers to
// the day after: time moves on for each offer as it does for a real one, one stay after another.
// (With every stay on the same day, each offer's set of stays overlapping a new one would grow
// with the run, which no real offer's does, and deciding would get slower the longer it ran.)
v1::CalendarDate stay_day(std::uint64_t n) {
  using namespace std::chrono;
  const year_month_day day{sys_days{year{2030} / January / 2} + days{static_cast<int>(n)}};
  return date(static_cast<int>(day.year()), static_cast<int>(static_cast<unsigned>(day.month())),
              static_cast<int>(static_cast<unsigned>(day.day())));
}

// A distinct, well-formed CPR number per cycle (53 million before repeating): born 1960–1999 (7th
// digit 0–3), so every citizen is an adult, as target group 1 requires.
std::string cpr_for(std::uint64_t sequence) {
  const auto day = 1 + sequence % 28;
  const auto month = 1 + (sequence / 28) % 12;
  const auto year = 60 + (sequence / 336) % 40;
  const auto serial = (sequence / 13440) % 4000;
  char text[16];
  std::snprintf(text, sizeof text, "%02u%02u%02u%04u", static_cast<unsigned>(day), static_cast<unsigned>(month),
                static_cast<unsigned>(year), static_cast<unsigned>(serial));
  return text;
}

std::string offer_id(const std::string& run, int index) { return "bench-" + run + "-" + std::to_string(index); }

class LoadGenerator {
 public:
  LoadGenerator(const Options& options, std::shared_ptr<grpc::Channel> channel, std::string run)
      : options_(options),
        offers_(v1::OfferService::NewStub(channel)),
        placements_(v1::PlacementService::NewStub(channel)),
        run_(std::move(run)) {
    for (auto code : kMunicipalities) caseworkers_.push_back(BenchCaller::caseworker(code));
  }

  // Mints every caller's token (none without --token-secret: the ceiling checks no identity).
  bool mint_tokens() {
    if (options_.token_secret.empty()) return true;
    for (auto& owner : operators_)
      if (!owner.mint(options_.token_secret)) return false;
    for (auto& caseworker : caseworkers_)
      if (!caseworker.mint(options_.token_secret)) return false;
    return true;
  }

  // Registers the offers, each with kPlacesPerOffer places from 2030-01-01. Sequential: it is setup.
  bool register_offers() {
    for (int i = 0; i < options_.offers; ++i) {
      const std::uint32_t region = kRegions[i % std::size(kRegions)];
      v1::RegisterOfferRequest offer;
      offer.set_command_id("bench-register-" + offer_id(run_, i));
      offer.set_offer_id(offer_id(run_, i));
      offer.set_name("Bench botilbud " + std::to_string(i));
      offer.set_operator_code(region);
      offer.set_level(v1::SPECIALISATION_LEVEL_MODERAT);
      offer.add_target_groups(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
      offer.set_service_type(v1::SERVICE_TYPE_DOGN);
      offer.set_paragraph_of_law("SEL § 108");
      offer.set_catchment_region_code(region);
      offer.mutable_financing()->set_model(v1::FINANCING_MODEL_TAKST);
      v1::CommandResult result;
      grpc::ClientContext register_context;
      // Each offer's own operator (its region) registers it and opens its places.
      const BenchCaller& owner = operators_[i % std::size(kRegions)];
      attach_credentials(register_context, owner);
      if (auto status = offers_->RegisterOffer(&register_context, offer, &result); !status.ok())
        return report_setup_failure("RegisterOffer", status);

      v1::ChangeCapacityRequest capacity;
      capacity.set_command_id("bench-capacity-" + offer_id(run_, i));
      capacity.set_offer_id(offer_id(run_, i));
      *capacity.mutable_effective_from() = date(2030, 1, 1);
      capacity.set_places(kPlacesPerOffer);
      grpc::ClientContext capacity_context;
      attach_credentials(capacity_context, owner);
      if (auto status = offers_->ChangeCapacity(&capacity_context, capacity, &result); !status.ok())
        return report_setup_failure("ChangeCapacity", status);
    }
    return true;
  }

  // Runs warmup + measured period, then waits for every call still in flight.
  void run() {
    measure_from_ = Clock::now() + to_duration(options_.warmup);
    measure_to_ = measure_from_ + to_duration(options_.seconds);
    slots_.resize(static_cast<std::size_t>(options_.in_flight));
    for (auto& slot : slots_) start_cycle(slot);
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return outstanding_ == 0; });
  }

  void print() const {
    const double per_second = static_cast<double>(latencies_.count()) / options_.seconds;
    std::string failures;
    for (const auto& [code, count] : failures_) failures += " " + std::to_string(code) + ":" + std::to_string(count);
    std::fprintf(
        stdout, "%s: %d in flight, %.0f commands/s over %.1f s, latency p50 %lld us, p99 %lld us, p99.9 %lld us%s%s\n",
        options_.label.c_str(), options_.in_flight, per_second, options_.seconds,
        static_cast<long long>(latencies_.percentile_us(0.50)), static_cast<long long>(latencies_.percentile_us(0.99)),
        static_cast<long long>(latencies_.percentile_us(0.999)), failures.empty() ? "" : ", FAILED (code:count)",
        failures.c_str());
    std::fprintf(
        stdout,
        "{\"bench\":\"load_generator\",\"label\":\"%s\",\"in_flight\":%d,\"seconds\":%.3f,\"commands\":%zu,"
        "\"commands_per_s\":%.1f,\"p50_us\":%lld,\"p99_us\":%lld,\"p999_us\":%lld,\"max_us\":%lld,\"failed\":%llu}\n",
        options_.label.c_str(), options_.in_flight, options_.seconds, latencies_.count(), per_second,
        static_cast<long long>(latencies_.percentile_us(0.50)), static_cast<long long>(latencies_.percentile_us(0.99)),
        static_cast<long long>(latencies_.percentile_us(0.999)), static_cast<long long>(latencies_.percentile_us(1.0)),
        static_cast<unsigned long long>(failed()));
    std::fflush(stdout);
  }

  std::uint64_t failed() const {
    std::uint64_t total = 0;
    for (const auto& [code, count] : failures_) total += count;
    return total;
  }

 private:
  // One in-flight slot: the cycle it is in and the call it waits for. Touched only by the callback
  // of its one outstanding call, so it needs no lock.
  struct Slot {
    int step = 0;  // 0 request, 1 reserve, 2 admit, 3 discharge
    std::string placement_id;
    v1::CalendarDate first_day, last_day;     // admitted on the first, discharged on the last
    const BenchCaller* caseworker = nullptr;  // of the paying municipality
    std::unique_ptr<grpc::ClientContext> context;
    v1::RequestPlacementRequest request;
    v1::ReservePlaceRequest reserve;
    v1::AdmitPlacementRequest admit;
    v1::DischargePlacementRequest discharge;
    v1::PlacementResponse response;
    Clock::time_point sent;
  };

  static Clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  bool report_setup_failure(const char* what, const grpc::Status& status) {
    std::cerr << "load_generator: setup " << what << " failed: " << status.error_message() << " (code "
              << status.error_code() << ")\n";
    return false;
  }

  std::string next_command_id() { return "bench-" + run_ + "-c" + std::to_string(next_command_++); }

  void start_cycle(Slot& slot) {
    const std::uint64_t cycle = next_cycle_++;
    slot.step = 0;
    slot.placement_id = "bench-" + run_ + "-p" + std::to_string(cycle);
    const std::uint64_t offers = static_cast<std::uint64_t>(options_.offers);
    slot.first_day = stay_day(cycle / offers);
    slot.last_day = stay_day(cycle / offers + 1);
    slot.caseworker = &caseworkers_[cycle % caseworkers_.size()];
    slot.request.Clear();
    slot.request.set_placement_id(slot.placement_id);
    slot.request.set_cpr(cpr_for(cycle));
    slot.request.set_paying_municipality_code(slot.caseworker->municipality);
    slot.request.set_offer_id(options_.setup ? offer_id(run_, static_cast<int>(cycle % options_.offers))
                                             : "bench-ceiling-offer");
    slot.request.set_level(v1::SPECIALISATION_LEVEL_MODERAT);
    slot.request.set_target_group(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
    *slot.request.mutable_requested_start() = slot.first_day;
    send(slot);
  }

  // Sends the slot's current step, unless the run is over.
  void send(Slot& slot) {
    if (Clock::now() >= measure_to_) return;  // the run is over: the slot falls idle
    {
      std::lock_guard lock(mutex_);
      ++outstanding_;
    }
    slot.context = std::make_unique<grpc::ClientContext>();
    attach_credentials(*slot.context, *slot.caseworker);
    slot.context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    slot.response.Clear();
    auto done = [this, &slot](grpc::Status status) { on_answer(slot, std::move(status)); };
    auto* stub = placements_->async();
    slot.sent = Clock::now();
    switch (slot.step) {
      case 0:
        slot.request.set_command_id(next_command_id());
        return stub->RequestPlacement(slot.context.get(), &slot.request, &slot.response, std::move(done));
      case 1:
        slot.reserve.set_command_id(next_command_id());
        slot.reserve.set_placement_id(slot.placement_id);
        *slot.reserve.mutable_from() = slot.first_day;
        return stub->ReservePlace(slot.context.get(), &slot.reserve, &slot.response, std::move(done));
      case 2:
        slot.admit.set_command_id(next_command_id());
        slot.admit.set_placement_id(slot.placement_id);
        *slot.admit.mutable_on() = slot.first_day;
        return stub->AdmitPlacement(slot.context.get(), &slot.admit, &slot.response, std::move(done));
      default:
        slot.discharge.set_command_id(next_command_id());
        slot.discharge.set_placement_id(slot.placement_id);
        *slot.discharge.mutable_on() = slot.last_day;
        return stub->DischargePlacement(slot.context.get(), &slot.discharge, &slot.response, std::move(done));
    }
  }

  void on_answer(Slot& slot, grpc::Status status) {
    const auto now = Clock::now();
    const bool measured = slot.sent >= measure_from_ && now <= measure_to_;
    if (!status.ok()) {
      std::lock_guard lock(mutex_);
      if (failures_.empty())
        std::cerr << "load_generator: step " << slot.step << " failed: " << status.error_message() << "\n";
      ++failures_[status.error_code()];
    } else if (measured) {
      latencies_.record(now - slot.sent);
    }
    // A failed step ends its cycle; the slot starts a new one rather than stall.
    if (status.ok() && slot.step < 3) {
      ++slot.step;
      send(slot);
    } else {
      start_cycle(slot);
    }
    std::lock_guard lock(mutex_);
    if (--outstanding_ == 0) idle_.notify_all();
  }

  const Options& options_;
  std::unique_ptr<v1::OfferService::Stub> offers_;
  std::unique_ptr<v1::PlacementService::Stub> placements_;
  const std::string run_;
  std::vector<BenchCaller> operators_ = [] {
    std::vector<BenchCaller> out;
    for (auto region : kRegions) out.push_back(BenchCaller::offer_operator(region));
    return out;
  }();
  std::vector<BenchCaller> caseworkers_;
  std::atomic<std::uint64_t> next_cycle_{0};
  std::atomic<std::uint64_t> next_command_{0};
  std::vector<Slot> slots_;
  Clock::time_point measure_from_, measure_to_;
  LatencyRecorder latencies_;

  std::mutex mutex_;
  std::condition_variable idle_;
  int outstanding_ = 0;
  std::map<int, std::uint64_t> failures_;
};

std::optional<Options> parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    auto number = [&](auto& out) {
      auto text = value();
      if (!text) return false;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), out);
      return ec == std::errc() && end == text->data() + text->size();
    };
    bool ok = true;
    if (arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--target") {
      auto text = value();
      ok = text.has_value();
      if (ok) options.target = *text;
    } else if (arg == "--token-secret") {
      auto text = value();
      ok = text.has_value();
      if (ok) options.token_secret = *text;
    } else if (arg == "--label") {
      auto text = value();
      ok = text.has_value();
      if (ok) options.label = *text;
    } else if (arg == "--in-flight") {
      ok = number(options.in_flight) && options.in_flight > 0;
    } else if (arg == "--seconds") {
      ok = number(options.seconds) && options.seconds > 0;
    } else if (arg == "--warmup") {
      ok = number(options.warmup) && options.warmup >= 0;
    } else if (arg == "--offers") {
      ok = number(options.offers) && options.offers > 0;
    } else if (arg == "--no-setup") {
      options.setup = false;
    } else {
      ok = false;
    }
    if (!ok) {
      std::cerr << "load_generator: bad or incomplete option " << arg << "\n" << kUsage;
      return std::nullopt;
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  auto options = parse(argc, argv);
  if (!options) return 2;
  auto channel = grpc::CreateChannel(options->target, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    std::cerr << "load_generator: cannot connect to " << options->target << "\n";
    return 1;
  }
  // Ids unique to this run, so runs against one server never collide.
  const std::string run = std::to_string(std::random_device{}() % 1000000);
  LoadGenerator generator(*options, channel, run);
  if (!generator.mint_tokens()) return 1;
  if (options->setup && !generator.register_offers()) return 1;
  generator.run();
  generator.print();
  return generator.failed() == 0 ? 0 : 1;
}
