// append_bench: durable appends per second through the event log, next to raw RocksDB synced puts
// measured in the same process, interleaved, so the noise of a shared machine hits both alike.
//
//   raw   N threads, each rocksdb::DB::Put of one ~200-byte value with WriteOptions.sync = true.
//         RocksDB's own write thread already groups concurrent synced writes into one WAL fsync,
//         so this is the ceiling a log on the same RocksDB can approach, not a strawman.
//   ours  N threads, each GroupCommitWriter::append of one command with one ~200-byte event on a
//         stream of its own (ExpectedVersion::any(), unique command id), over RocksDbEventLog.
//
// Every measurement uses a fresh database in its own folder, runs for --seconds and stops by
// itself; the folder is removed afterwards. Figures to quote are the medians over --repeat runs
// and the ratio ours ÷ raw at the same number of writers (see docs/BENCHMARKS.md).

#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <latch>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/statistics.h>

#include "storage/group_commit_writer.h"
#include "storage/rocksdb_event_log.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using placement::storage::AppendRequest;
using placement::storage::ExpectedVersion;
using placement::storage::GroupCommitWriter;
using placement::storage::NewEvent;
using placement::storage::RocksDbEventLog;
using placement::storage::StreamAppend;

constexpr std::string_view kUsage = R"(usage: append_bench [options]

Durable appends per second through GroupCommitWriter + RocksDbEventLog ("ours"), next to raw
RocksDB puts with WriteOptions.sync = true ("raw") from the same number of threads, measured
interleaved in one process. Each measurement uses a fresh database and stops after --seconds.

options:
  --writers LIST     comma-separated numbers of concurrent writers   (default 1,16)
  --seconds S        duration of one measurement, in seconds         (default 3)
  --repeat R         measurements per (kind, writers)                 (default 5)
  --dir PATH         parent folder for the databases; must be on the disk you mean to measure
                     (default: a new folder under /tmp, removed afterwards)
  --value-bytes B    size of the raw value and of the event payload   (default 200)
  --count N          each writer stops after N calls instead of after --seconds (for
                     instruction counts under valgrind, where time means nothing)
  --only KIND        measure only raw or only ours
  --json             JSON lines instead of tables
  --help             this text
)";

struct Config {
  std::vector<int> writers{1, 16};
  double seconds = 3.0;
  int repeat = 5;
  std::optional<std::string> dir;
  std::size_t value_bytes = 200;
  std::uint64_t count = 0;  // calls per writer; 0: run for `seconds`
  std::optional<std::string> only;
  bool json = false;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "append_bench: " << message << "\n\n" << kUsage;
  std::exit(2);
}

template <class T> T parse_number(std::string_view flag, std::string_view text, T min, T max) {
  T value{};
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max)
    usage_error(std::string(flag) + " wants a number from " + std::to_string(min) + " to " + std::to_string(max) +
                ", got '" + std::string(text) + "'");
  return value;
}

double parse_seconds(std::string_view text) {
  // std::from_chars for double is in GCC 12's libstdc++; strtod is the portable fallback.
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !(value > 0.0) || value > 3600.0)
    usage_error("--seconds wants a duration from 0 to 3600, got '" + copy + "'");
  return value;
}

Config parse_args(int argc, char** argv) {
  Config config;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    std::optional<std::string_view> inline_value;
    if (const auto eq = flag.find('='); flag.starts_with("--") && eq != std::string_view::npos) {
      inline_value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    auto value = [&]() -> std::string_view {
      if (inline_value) return *inline_value;
      if (i + 1 >= args.size()) usage_error(std::string(flag) + " needs a value");
      return args[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (flag == "--json") {
      config.json = true;
    } else if (flag == "--writers") {
      config.writers.clear();
      std::string_view list = value();
      while (!list.empty()) {
        const auto comma = list.find(',');
        config.writers.push_back(parse_number<int>("--writers", list.substr(0, comma), 1, 1024));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      }
      if (config.writers.empty()) usage_error("--writers needs at least one number");
    } else if (flag == "--seconds") {
      config.seconds = parse_seconds(value());
    } else if (flag == "--repeat") {
      config.repeat = parse_number<int>("--repeat", value(), 1, 1000);
    } else if (flag == "--dir") {
      config.dir = std::string(value());
    } else if (flag == "--count") {
      config.count = parse_number<std::uint64_t>("--count", value(), 1, 100'000'000);
    } else if (flag == "--only") {
      config.only = std::string(value());
      if (config.only != "raw" && config.only != "ours") usage_error("--only wants raw or ours");
    } else if (flag == "--value-bytes") {
      config.value_bytes = parse_number<std::size_t>("--value-bytes", value(), 1, 1 << 20);
    } else {
      usage_error("unknown option '" + std::string(args[i]) + "'");
    }
  }
  return config;
}

// A value that does not compress to nothing, though the WAL does not compress anyway.
std::string make_value(std::size_t bytes) {
  std::string value(bytes, '\0');
  std::uint32_t x = 2463534242u;
  for (auto& c : value) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>('a' + x % 26);
  }
  return value;
}

enum class Kind { raw, ours };
std::string_view name(Kind kind) { return kind == Kind::raw ? "raw" : "ours"; }

struct Run {
  Kind kind = Kind::raw;
  int writers = 0;
  int rep = 0;
  double seconds = 0;     // wall time from release of the writers until the last one finished
  std::uint64_t ops = 0;  // successful durable calls
  std::uint64_t errors = 0;
  double ops_per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
  // Writes made durable per fsync. ours: jobs_written ÷ batches_written of the GroupCommitWriter;
  // raw: puts ÷ WAL syncs (RocksDB's WAL_FILE_SYNCED ticker), i.e. RocksDB's own write grouping.
  double avg_batch = 0;
  // CPU time of the whole process (every thread: callers, the writer, RocksDB's own) over the
  // measurement, per successful call: what a call costs the machine, which the load of other
  // processes moves far less than it moves calls per second.
  double cpu_us_per_op = 0;
  std::string first_error;
};

// Per-thread tally; latencies in nanoseconds, one per successful call.
struct Tally {
  std::vector<std::uint64_t> latencies_ns;
  std::uint64_t errors = 0;
  std::string first_error;
  void error(std::string message) {
    if (errors++ == 0) first_error = std::move(message);
  }
};

double percentile_us(std::vector<std::uint64_t>& sorted_ns, double p) {
  if (sorted_ns.empty()) return 0;
  // Nearest rank.
  auto rank = static_cast<std::size_t>(p * static_cast<double>(sorted_ns.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, sorted_ns.size());
  return static_cast<double>(sorted_ns[rank - 1]) / 1000.0;
}

// Runs body(thread_index, tally) in a loop on `writers` threads until `seconds` have passed and
// fills the throughput and latency fields of run.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

template <class Body> void drive(Run& run, double seconds, std::uint64_t count, Body body) {
  std::vector<Tally> tallies(static_cast<std::size_t>(run.writers));
  std::latch go(1);
  Clock::time_point deadline;
  std::vector<std::thread> threads;
  threads.reserve(tallies.size());
  for (std::size_t t = 0; t < tallies.size(); ++t) {
    threads.emplace_back([&, t] {
      Tally& tally = tallies[t];
      tally.latencies_ns.reserve(1 << 14);
      go.wait();
      for (std::uint64_t seq = 0; count == 0 || seq < count; ++seq) {
        const auto before = Clock::now();
        if (count == 0 && before >= deadline) break;
        if (body(t, seq, tally)) {
          const auto after = Clock::now();
          tally.latencies_ns.push_back(
              static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(after - before).count()));
        }
      }
    });
  }
  const double cpu_before = process_cpu_seconds();
  const auto start = Clock::now();
  deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  go.count_down();
  for (auto& thread : threads) thread.join();
  run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu_seconds = process_cpu_seconds() - cpu_before;

  std::vector<std::uint64_t> all;
  for (auto& tally : tallies) {
    all.insert(all.end(), tally.latencies_ns.begin(), tally.latencies_ns.end());
    if (tally.errors && run.errors == 0) run.first_error = tally.first_error;
    run.errors += tally.errors;
  }
  std::sort(all.begin(), all.end());
  run.ops = all.size();
  run.ops_per_s = static_cast<double>(run.ops) / run.seconds;
  run.cpu_us_per_op = run.ops ? cpu_seconds * 1e6 / static_cast<double>(run.ops) : 0;
  run.p50_us = percentile_us(all, 0.50);
  run.p99_us = percentile_us(all, 0.99);
}

void fail_setup(const std::string& what) {
  std::cerr << "append_bench: " << what << '\n';
  std::exit(1);
}

Run measure_raw(const fs::path& dir, int writers, int rep, const Config& config, const std::string& value) {
  Run run;
  run.kind = Kind::raw;
  run.writers = writers;
  run.rep = rep;
  rocksdb::Options options;
  options.create_if_missing = true;
  options.statistics = rocksdb::CreateDBStatistics();  // for the WAL sync count; a few counters per write
  rocksdb::DB* raw = nullptr;
  if (auto s = rocksdb::DB::Open(options, dir.string(), &raw); !s.ok())
    fail_setup("cannot open raw RocksDB in " + dir.string() + ": " + s.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  // One synced put before the clock starts, so creating the WAL is not measured.
  if (auto s = db->Put(sync, "warm-up", value); !s.ok()) fail_setup("raw warm-up put failed: " + s.ToString());

  const std::uint64_t syncs_before = options.statistics->getTickerCount(rocksdb::WAL_FILE_SYNCED);
  drive(run, config.seconds, config.count, [&](std::size_t t, std::uint64_t seq, Tally& tally) {
    const std::string key = "w" + std::to_string(t) + "-" + std::to_string(seq);
    const rocksdb::Status s = db->Put(sync, key, value);
    if (!s.ok()) tally.error(s.ToString());
    return s.ok();
  });
  const std::uint64_t syncs = options.statistics->getTickerCount(rocksdb::WAL_FILE_SYNCED) - syncs_before;
  run.avg_batch = syncs ? static_cast<double>(run.ops) / static_cast<double>(syncs) : 0.0;
  if (auto s = db->Close(); !s.ok()) fail_setup("closing raw RocksDB failed: " + s.ToString());
  return run;
}

AppendRequest make_request(std::string command_id, std::string stream_id, const std::string& payload) {
  AppendRequest request;
  request.command_id = std::move(command_id);
  request.actor.set_subject("append_bench");
  request.actor.set_role(placement::v1::ROLE_SYSTEM);
  request.recorded_at = std::chrono::system_clock::now();
  StreamAppend stream;
  stream.stream_id = std::move(stream_id);
  stream.expected = ExpectedVersion::any();
  stream.events.push_back(NewEvent{"BenchmarkEventRecorded", payload});
  request.streams.push_back(std::move(stream));
  return request;
}

Run measure_ours(const fs::path& dir, int writers, int rep, const Config& config, const std::string& payload) {
  Run run;
  run.kind = Kind::ours;
  run.writers = writers;
  run.rep = rep;
  auto opened = RocksDbEventLog::open(dir.string());
  if (!opened) fail_setup("cannot open the event log in " + dir.string() + ": " + opened.error().message);
  std::unique_ptr<RocksDbEventLog> log = std::move(opened).value();
  {
    GroupCommitWriter writer(*log, nullptr);
    if (auto warm = writer.append(make_request("warm-up", "bench-warm-up", payload)); !warm)
      fail_setup("warm-up append failed: " + warm.error().message);
    const std::uint64_t batches_before = writer.batches_written();
    const std::uint64_t jobs_before = writer.jobs_written();

    drive(run, config.seconds, config.count, [&](std::size_t t, std::uint64_t seq, Tally& tally) {
      const std::string suffix = std::to_string(t) + "-" + std::to_string(seq);
      auto result = writer.append(make_request("cmd-" + suffix, "bench-" + suffix, payload));
      if (!result) {
        tally.error(result.error().message);
        return false;
      }
      if (result.value().duplicate) {
        tally.error("command cmd-" + suffix + " was taken for a duplicate");
        return false;
      }
      return true;
    });
    writer.stop();
    const std::uint64_t batches = writer.batches_written() - batches_before;
    const std::uint64_t jobs = writer.jobs_written() - jobs_before;
    run.avg_batch = batches ? static_cast<double>(jobs) / static_cast<double>(batches) : 0.0;
  }
  return run;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

std::string fixed(double value, int decimals) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(decimals);
  out << value;
  return out.str();
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string filesystem_of(const fs::path& dir) {
  struct statfs info {};
  if (statfs(dir.c_str(), &info) != 0) return "unknown";
  switch (static_cast<unsigned long>(info.f_type)) {
    case 0xEF53: return "ext2/3/4";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    case 0x01021994: return "tmpfs";
    case 0x794C7630: return "overlayfs";
    default: {
      std::ostringstream out;
      out << "0x" << std::hex << static_cast<unsigned long>(info.f_type);
      return out.str();
    }
  }
}

struct Summary {
  int writers = 0;
  double raw_ops = 0, ours_ops = 0;
  double raw_p50 = 0, raw_p99 = 0, ours_p50 = 0, ours_p99 = 0;
  double raw_batch = 0, ours_batch = 0;
  double ratio_of_medians = 0;
  double paired_ratio = 0;  // median over repetitions of ours ÷ raw measured back to back
};

Summary summarise(int writers, const std::vector<Run>& runs) {
  Summary s;
  s.writers = writers;
  std::vector<double> raw_ops, ours_ops, raw_p50, raw_p99, ours_p50, ours_p99, raw_batch, ours_batch, paired;
  std::map<int, std::pair<double, double>> by_rep;
  for (const auto& run : runs) {
    if (run.writers != writers) continue;
    if (run.kind == Kind::raw) {
      raw_ops.push_back(run.ops_per_s);
      raw_p50.push_back(run.p50_us);
      raw_p99.push_back(run.p99_us);
      raw_batch.push_back(run.avg_batch);
      by_rep[run.rep].first = run.ops_per_s;
    } else {
      ours_ops.push_back(run.ops_per_s);
      ours_p50.push_back(run.p50_us);
      ours_p99.push_back(run.p99_us);
      ours_batch.push_back(run.avg_batch);
      by_rep[run.rep].second = run.ops_per_s;
    }
  }
  for (const auto& [rep, pair] : by_rep)
    if (pair.first > 0) paired.push_back(pair.second / pair.first);
  s.raw_ops = median(raw_ops);
  s.ours_ops = median(ours_ops);
  s.raw_p50 = median(raw_p50);
  s.raw_p99 = median(raw_p99);
  s.ours_p50 = median(ours_p50);
  s.ours_p99 = median(ours_p99);
  s.raw_batch = median(raw_batch);
  s.ours_batch = median(ours_batch);
  s.ratio_of_medians = s.raw_ops > 0 ? s.ours_ops / s.raw_ops : 0;
  s.paired_ratio = median(paired);
  return s;
}

void print_run(const Run& run, const Config& config) {
  if (config.json) {
    std::cout << "{\"type\":\"run\",\"kind\":\"" << name(run.kind) << "\",\"writers\":" << run.writers
              << ",\"rep\":" << run.rep << ",\"seconds\":" << fixed(run.seconds, 3) << ",\"ops\":" << run.ops
              << ",\"errors\":" << run.errors << ",\"ops_per_s\":" << fixed(run.ops_per_s, 1)
              << ",\"p50_us\":" << fixed(run.p50_us, 1) << ",\"p99_us\":" << fixed(run.p99_us, 1);
    std::cout << ",\"per_fsync\":" << fixed(run.avg_batch, 2) << ",\"cpu_us_per_op\":" << fixed(run.cpu_us_per_op, 2);
    if (run.errors) std::cout << ",\"first_error\":" << json_string(run.first_error);
    std::cout << "}\n" << std::flush;
    return;
  }
  std::cout << "  " << pad(std::string(name(run.kind)), 4) << "  writers " << pad(std::to_string(run.writers), 3)
            << "  rep " << run.rep << "  " << pad(fixed(run.ops_per_s, 0), 8) << " /s   p50 "
            << pad(fixed(run.p50_us, 0), 7) << " us  p99 " << pad(fixed(run.p99_us, 0), 7) << " us";
  std::cout << "  per fsync " << fixed(run.avg_batch, 2) << "  cpu " << fixed(run.cpu_us_per_op, 1) << " us/call";
  if (run.errors) std::cout << "  ERRORS " << run.errors << ": " << run.first_error;
  std::cout << '\n' << std::flush;
}

void print_summaries(const std::vector<Summary>& summaries, const Config& config) {
  if (config.json) {
    for (const auto& s : summaries)
      std::cout << "{\"type\":\"summary\",\"writers\":" << s.writers << ",\"repeat\":" << config.repeat
                << ",\"seconds\":" << fixed(config.seconds, 3) << ",\"raw_ops_per_s\":" << fixed(s.raw_ops, 1)
                << ",\"ours_ops_per_s\":" << fixed(s.ours_ops, 1) << ",\"ratio\":" << fixed(s.ratio_of_medians, 3)
                << ",\"paired_ratio\":" << fixed(s.paired_ratio, 3) << ",\"raw_p50_us\":" << fixed(s.raw_p50, 1)
                << ",\"raw_p99_us\":" << fixed(s.raw_p99, 1) << ",\"ours_p50_us\":" << fixed(s.ours_p50, 1)
                << ",\"ours_p99_us\":" << fixed(s.ours_p99, 1) << ",\"raw_per_fsync\":" << fixed(s.raw_batch, 2)
                << ",\"ours_per_fsync\":" << fixed(s.ours_batch, 2) << "}\n";
    return;
  }
  std::cout << "\nmedians over " << config.repeat << " runs of " << fixed(config.seconds, 1)
            << " s each (appends/s; latency of one call in us)\n\n";
  std::cout << "| writers | raw RocksDB sync puts/s | ours appends/s | ours ÷ raw | paired ratio | raw p50 | raw p99 "
               "| ours p50 | ours p99 | raw puts/fsync | ours appends/batch |\n";
  std::cout << "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& s : summaries)
    std::cout << "| " << s.writers << " | " << fixed(s.raw_ops, 0) << " | " << fixed(s.ours_ops, 0) << " | "
              << fixed(s.ratio_of_medians, 2) << " | " << fixed(s.paired_ratio, 2) << " | " << fixed(s.raw_p50, 0)
              << " | " << fixed(s.raw_p99, 0) << " | " << fixed(s.ours_p50, 0) << " | " << fixed(s.ours_p99, 0) << " | "
              << fixed(s.raw_batch, 2) << " | " << fixed(s.ours_batch, 2) << " |\n";
}

}  // namespace

int main(int argc, char** argv) {
  const Config config = parse_args(argc, argv);
  const std::string value = make_value(config.value_bytes);

  // The parent folder: the one given, or a new one under /tmp. Only what this run created is removed.
  fs::path root;
  bool remove_root = false;
  std::error_code ec;
  if (config.dir) {
    root = *config.dir;
    if (!fs::exists(root, ec)) {
      if (!fs::create_directories(root, ec)) fail_setup("cannot create " + root.string() + ": " + ec.message());
      remove_root = true;
    }
  } else {
    std::string templ = (fs::temp_directory_path(ec) / "append_bench.XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) fail_setup("cannot create a folder under the temp directory");
    root = templ;
    remove_root = true;
  }
  const std::string fs_type = filesystem_of(root);

  if (!config.json) {
    utsname uts{};
    uname(&uts);
    std::cout << "append_bench: " << config.repeat << " x " << fixed(config.seconds, 1)
              << " s per (kind, writers), value " << config.value_bytes << " bytes, interleaved raw/ours\n"
              << "  dir " << root.string() << " (" << fs_type << "), " << std::thread::hardware_concurrency()
              << " cpus, kernel " << uts.release << "\n";
  } else {
    std::cout << "{\"type\":\"config\",\"dir\":" << json_string(root.string())
              << ",\"filesystem\":" << json_string(fs_type) << ",\"seconds\":" << fixed(config.seconds, 3)
              << ",\"repeat\":" << config.repeat << ",\"value_bytes\":" << config.value_bytes
              << ",\"cpus\":" << std::thread::hardware_concurrency() << "}\n";
  }
  if (fs_type == "tmpfs")
    std::cerr << "append_bench: warning: " << root.string()
              << " is on tmpfs, where fsync costs nothing; pass --dir on the disk you mean to measure\n";

  std::vector<Run> runs;
  bool any_errors = false;
  for (int writers : config.writers) {
    if (!config.json) std::cout << "\n";
    for (int rep = 1; rep <= config.repeat; ++rep) {
      // Alternate which kind goes first, so a drift in the machine's load does not favour one.
      const Kind order[2] = {rep % 2 ? Kind::raw : Kind::ours, rep % 2 ? Kind::ours : Kind::raw};
      for (Kind kind : order) {
        if (config.only && *config.only != name(kind)) continue;
        const fs::path dir =
            root / (std::string(name(kind)) + "-w" + std::to_string(writers) + "-r" + std::to_string(rep));
        fs::remove_all(dir, ec);
        Run run = kind == Kind::raw ? measure_raw(dir, writers, rep, config, value)
                                    : measure_ours(dir, writers, rep, config, value);
        fs::remove_all(dir, ec);
        any_errors = any_errors || run.errors > 0;
        print_run(run, config);
        runs.push_back(std::move(run));
      }
    }
  }

  std::vector<Summary> summaries;
  for (int writers : config.writers) summaries.push_back(summarise(writers, runs));
  print_summaries(summaries, config);

  if (remove_root) fs::remove_all(root, ec);
  if (any_errors) {
    std::cerr << "append_bench: some calls failed; the figures above are not valid\n";
    return 1;
  }
  return 0;
}
