#pragma once
// The event log contract: one global, ordered, append-only sequence of events, each in a
// stream with its own version. The RocksDB log is the embedded default; the etcd log
// (etcd_event_log.h) is the replicated one behind the same contract.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "placement/v1/envelope.pb.h"
#include "services/base/result.h"
#include "services/base/types.h"

namespace placement::storage {

// What the appender expects a stream's version to be before its events are added.
class ExpectedVersion {
 public:
  static ExpectedVersion any() { return ExpectedVersion(std::nullopt); }
  static ExpectedVersion no_stream() { return ExpectedVersion(0); }
  static ExpectedVersion exactly(std::uint64_t version) { return ExpectedVersion(version); }

  bool matches(std::uint64_t current) const { return !version_ || *version_ == current; }
  std::optional<std::uint64_t> version() const { return version_; }

 private:
  explicit ExpectedVersion(std::optional<std::uint64_t> v) : version_(v) {}
  std::optional<std::uint64_t> version_;
};

struct NewEvent {
  std::string type;     // stable name, e.g. "OfferRegistered"
  std::string payload;  // serialised event message
};

struct StreamAppend {
  std::string stream_id;
  ExpectedVersion expected = ExpectedVersion::any();
  std::vector<NewEvent> events;
};

// Everything one command writes. It is atomic: all of its events or none.
struct AppendRequest {
  std::string command_id;  // required; a retried id returns the first result and writes nothing
  v1::Actor actor;
  std::chrono::system_clock::time_point recorded_at;
  std::vector<StreamAppend> streams;
};

struct AppendResult {
  Position first;          // position of the command's first event
  Position last;           // position of its last event
  bool duplicate = false;  // the command id was seen before; nothing new was written
};

// An event read back from the log.
struct LoggedEvent {
  v1::EventEnvelope envelope;
  std::string envelope_bytes;  // exactly as stored: what the hash covers
  std::string hash;            // SHA-256(prev_hash || envelope_bytes)
  Position position() const { return Position{envelope.position()}; }
};

// An event as stored, seen in place during a scan: no copy, no parse, no hash. The bytes are
// valid only during the visitor's call.
struct StoredEventView {
  Position position;
  std::string_view envelope_bytes;  // exactly as stored (storage/envelope_view.h reads them)
};

// Called once per event of a scan, in log order; an error stops the scan and is returned by it.
using StoredEventVisitor = std::function<Status(const StoredEventView&)>;

struct AppendBatchOutcome {
  std::vector<Result<AppendResult>> results;  // one per request, in order
  std::vector<LoggedEvent> written;           // every event this call made durable, in order
};

struct ChainReport {
  bool ok = true;
  std::uint64_t checked = 0;
  Position first_bad{0};
  std::string problem;
  std::string head_hash;
};

struct Head {
  Position position{0};
  std::string hash;  // genesis hash when the log is empty
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends the requests in one atomic, durable write (fsync before returning). Each request is
  // checked on its own: a wrong expected version refuses that request (Errc::conflict) and a
  // repeated command id returns its first result; neither affects the others. If the write
  // itself fails, every request of the call fails with Errc::unavailable and nothing is written.
  // A log whose writes are bounded (EtcdEventLog: etcd's transaction limits) may split a call
  // into several writes, each of whole requests; when one fails, the requests of the writes
  // before it are durable (their events in `written`) and every request from it on fails.
  // Only one thread may append at a time: the single writer owns appends.
  virtual AppendBatchOutcome append(std::vector<AppendRequest> requests) = 0;

  // The remaining calls are safe from any thread, concurrently with append.

  // Up to max events in global order, starting at position from (1 is the first).
  virtual Result<std::vector<LoggedEvent>> read_forward(Position from, std::size_t max) const = 0;

  // Every event from position from up to and including up_to (Position{0}: the head when the call
  // starts), in global order, each handed to visit in place. For long scans that need neither
  // the hash nor a parsed envelope (replay): nothing is materialised per event. The default
  // reads in chunks through read_forward; an implementation can stream instead.
  virtual Status visit_forward(Position from, Position up_to, const StoredEventVisitor& visit) const;

  // Up to max events of one stream, starting at stream version from.
  virtual Result<std::vector<LoggedEvent>> read_stream(const std::string& stream_id, StreamVersion from,
                                                       std::size_t max) const = 0;

  // Current version of a stream; 0 when it has no events.
  virtual Result<StreamVersion> stream_version(const std::string& stream_id) const = 0;

  // The result a command id produced, if it was ever appended.
  virtual Result<std::optional<AppendResult>> find_command(const std::string& command_id) const = 0;

  // Recomputes every hash and link over [from, to] (to = 0 means the head).
  virtual Result<ChainReport> verify_chain(Position from, Position to) const = 0;

  virtual Head head() const = 0;
};

}  // namespace placement::storage
