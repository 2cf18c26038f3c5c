// Auditor commands: follow, export and verify the hash-chained log.

#include <unistd.h>

#include <fstream>
#include <memory>
#include <optional>
#include <variant>

#include "clients/placectl/chain.h"
#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/encoding.h"
#include "clients/placectl/json_writer.h"
#include "clients/placectl/progress.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"

namespace placement::placectl {
namespace {

const std::string kGenesis(32, '\0');

// One exported event: everything a third party needs to recompute the chain (docs/AUDIT.md).
Record export_record(const v1::StoredEvent& event) {
  const auto& envelope = event.envelope();
  Record actor;
  actor.add("subject", envelope.actor().subject())
      .add("role", role_name(envelope.actor().role()))
      .add("municipality", envelope.actor().municipality_code());
  // Only operators carry one (older exports have no such field).
  if (envelope.actor().operator_code() != 0) actor.add("operator", envelope.actor().operator_code());
  Record record;
  record.add("position", envelope.position())
      .add("stream_id", envelope.stream_id())
      .add("stream_version", envelope.stream_version())
      .add("event_id", envelope.event_id())
      .add("command_id", envelope.command_id())
      .add("actor", Value::List{actor})
      .add("recorded_at", timestamp_value(envelope.recorded_at()))
      .add("event_type", envelope.event_type())
      .add("payload", base64(envelope.payload()))
      .add("prev_hash", hex(envelope.prev_hash()))
      .add("hash", hex(event.hash()))
      .add("envelope_bytes", base64(event.envelope_bytes()));
  return record;
}

// One line of JSON; the actor as one object rather than a list of one.
void write_export_line(std::ostream& out, const v1::StoredEvent& event) {
  write_json(out, export_record(event), OneRecordList::object);
  out << '\n';
}

Record tail_record(const v1::StoredEvent& event) {
  const auto& envelope = event.envelope();
  std::string actor = envelope.actor().subject() + "/" + role_name(envelope.actor().role());
  if (envelope.actor().municipality_code() != 0) actor += "/" + std::to_string(envelope.actor().municipality_code());
  if (envelope.actor().operator_code() != 0) actor += "/" + std::to_string(envelope.actor().operator_code());
  return Record()
      .add("position", envelope.position())
      .add("recorded_at", timestamp_value(envelope.recorded_at()))
      .add("stream_id", envelope.stream_id())
      .add("version", envelope.stream_version())
      .add("event_type", envelope.event_type())
      .add("actor", actor)
      .add("hash", hex(event.hash()).substr(0, 16));
}

// The head, or the exit code of a failed call.
std::variant<v1::GetHeadResponse, int> read_head(Session& session) {
  v1::GetHeadResponse head;
  auto status = session.audit().GetHead(session.context().get(), v1::GetHeadRequest(), &head);
  if (!status.ok()) return session.failed("audit head", status);
  return head;
}

// --from and --to as given; checked before anything is sent.
struct RangeOptions {
  std::uint64_t from = 1;
  std::optional<std::uint64_t> to;

  explicit RangeOptions(const Args& args) {
    if (args.has("from")) from = parse_position("from", args.get("from"));
    if (args.has("to")) to = parse_position("to", args.get("to"));
    if (to && *to < from) throw UsageError("--to is before --from");
  }
  // [from, to] clamped to the head; empty (from > to) when the log ends before from.
  std::pair<std::uint64_t, std::uint64_t> clamped(std::uint64_t head) const {
    return {from, std::min(to.value_or(head), head)};
  }
};

int head(Session& session, const Args&) {
  auto head = read_head(session);
  if (auto* code = std::get_if<int>(&head)) return *code;
  const auto& response = std::get<v1::GetHeadResponse>(head);
  session.out().single(Record().add("position", response.position()).add("hash", hex(response.hash())));
  return kExitOk;
}

int tail(Session& session, const Args& args) {
  v1::StreamEventsRequest request;
  const std::optional<std::uint64_t> max =
      args.has("max") ? std::optional(parse_position("max", args.get("max"))) : std::nullopt;
  const std::optional<std::uint64_t> start =
      args.has("from") ? std::optional(parse_position("from", args.get("from"))) : std::nullopt;
  if (start) {
    request.set_from_position(*start);
  } else {
    auto head = read_head(session);
    if (auto* code = std::get_if<int>(&head)) return *code;
    request.set_from_position(std::get<v1::GetHeadResponse>(head).position() + 1);
  }
  if (max) request.set_max_events(*max);
  request.set_follow(true);
  if (auto stream = args.find("stream")) request.set_stream_id(*stream);
  for (const auto& type : args.all("type")) request.add_event_types(type);

  auto context = session.context(/*streaming=*/true);
  auto reader = session.audit().StreamEvents(context.get(), request);
  const bool json = session.out().format() == Format::json;
  if (!json)
    session.out().stream_header({{"position", 8},
                                 {"recorded_at", 24},
                                 {"stream_id", 24},
                                 {"version", 7},
                                 {"event_type", 24},
                                 {"actor", 24},
                                 {"hash", 16}});
  v1::StoredEvent event;
  while (reader->Read(&event)) {
    if (json) {
      write_export_line(session.stdout_stream(), event);
      session.stdout_stream().flush();
    } else {
      session.out().stream_row(tail_record(event));
    }
  }
  auto status = reader->Finish();
  if (!status.ok()) return session.failed("audit tail", status);
  return kExitOk;
}

int export_events(Session& session, const Args& args) {
  const RangeOptions options(args);
  auto head = read_head(session);
  if (auto* code = std::get_if<int>(&head)) return *code;
  const auto [from, to] = options.clamped(std::get<v1::GetHeadResponse>(head).position());

  std::ofstream file;
  std::ostream* out = &session.stdout_stream();
  const auto output = args.find("output");
  if (output && *output != "-") {
    file.open(*output, std::ios::out | std::ios::trunc | std::ios::binary);
    if (!file) throw UsageError("cannot write --output file");
    out = &file;
  }
  std::uint64_t written = 0;
  if (from <= to) {
    v1::StreamEventsRequest request;
    request.set_from_position(from);
    request.set_max_events(to - from + 1);
    auto context = session.context(/*streaming=*/true);
    auto reader = session.audit().StreamEvents(context.get(), request);
    // Lines on a terminal and a bar redrawn over them would garble each other.
    const bool to_terminal = out == &session.stdout_stream() && isatty(STDOUT_FILENO) == 1;
    ProgressBar progress("export", from, to, !to_terminal);
    v1::StoredEvent event;
    while (reader->Read(&event)) {
      write_export_line(*out, event);
      ++written;
      progress.update(event.envelope().position());
    }
    auto status = reader->Finish();
    if (!status.ok()) return session.failed("audit export", status);
  }
  out->flush();
  if (!*out) {
    session.err() << "placectl: audit export: writing the output failed\n";
    return kExitRefused;
  }
  session.err() << "exported " << written << " events"
                << (written ? " (positions " + std::to_string(from) + ".." + std::to_string(from + written - 1) + ")"
                            : std::string())
                << (output && *output != "-" ? " to " + *output : std::string()) << '\n';
  return kExitOk;
}

Record verdict_record(bool ok, std::uint64_t checked, std::uint64_t bad_position, const std::string& problem,
                      const std::string& head_hash) {
  Record record;
  // The same fields either way, so CSV columns are stable.
  record.add("ok", ok)
      .add("events_checked", checked)
      .add("first_bad_position", ok ? 0 : bad_position)
      .add("problem", ok ? std::string() : problem)
      .add("head_hash", ok ? hex(head_hash) : std::string());
  return record;
}

int verify(Session& session, const Args& args) {
  const RangeOptions options(args);
  auto head = read_head(session);
  if (auto* code = std::get_if<int>(&head)) return *code;
  const auto& head_response = std::get<v1::GetHeadResponse>(head);
  const auto [from, to] = options.clamped(head_response.position());

  // The server's verdict.
  v1::VerifyChainRequest server_request;
  server_request.set_from_position(from);
  server_request.set_to_position(to);
  v1::VerifyChainResponse server;
  if (from <= to) {
    auto status = session.audit().VerifyChain(session.context().get(), server_request, &server);
    if (!status.ok()) return session.failed("audit verify", status);
  } else {
    server.set_ok(true);
    server.set_head_hash(head_response.hash());
  }

  // Our own: stream the range (and the event before it, whose hash anchors the range).
  ChainChecker checker(from, from == 1 ? kGenesis : std::string());
  std::optional<ChainBreak> client_break;
  if (from <= to) {
    v1::StreamEventsRequest request;
    request.set_from_position(from == 1 ? 1 : from - 1);
    request.set_max_events(to - request.from_position() + 1);
    auto context = session.context(/*streaming=*/true);
    auto reader = session.audit().StreamEvents(context.get(), request);
    ProgressBar progress("verify", from, to);
    v1::StoredEvent event;
    bool anchored = from == 1;
    while (reader->Read(&event)) {
      if (!anchored) {
        checker = ChainChecker(from, event.hash());
        anchored = true;
        continue;
      }
      progress.update(event.envelope().position());
      if (checker.check(event)) {
        context->TryCancel();
        break;
      }
    }
    auto status = reader->Finish();
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
      if (status.error_code() != grpc::StatusCode::DATA_LOSS) return session.failed("audit verify (stream)", status);
      checker.fail_next("the server cannot read the event: " + status.error_message());
    }
    const bool whole_log = to == head_response.position();
    client_break = checker.finish(to, whole_log ? head_response.hash() : std::string());
  }
  const bool ok = server.ok() && !client_break;

  const Record server_verdict = verdict_record(server.ok(), server.events_checked(), server.first_bad_position(),
                                               server.problem(), server.head_hash());
  const Record client_verdict =
      verdict_record(!client_break, checker.checked(), client_break ? client_break->position : 0,
                     client_break ? client_break->problem : "", checker.head_hash());
  if (session.out().format() == Format::table) {
    auto& out = session.stdout_stream();
    auto line = [&](const char* who, bool side_ok, std::uint64_t checked, std::uint64_t bad, const std::string& problem,
                    const std::string& hash) {
      out << who
          << (side_ok ? "OK, " + std::to_string(checked) + " events, head hash " + hex(hash)
                      : "BROKEN at position " + std::to_string(bad) + ": " + problem)
          << '\n';
    };
    line("server: ", server.ok(), server.events_checked(), server.first_bad_position(), server.problem(),
         server.head_hash());
    line("client: ", !client_break, checker.checked(), client_break ? client_break->position : 0,
         client_break ? client_break->problem : "", checker.head_hash());
    if (ok) {
      out << "OK: positions " << from << ".." << to << " verify (" << checker.checked() << " events), head hash "
          << hex(checker.head_hash()) << '\n';
    } else {
      const std::uint64_t position = !server.ok() ? server.first_bad_position() : client_break->position;
      out << "BROKEN at position " << position << '\n';
    }
  } else {
    // JSON: one object with the two verdicts nested; CSV: one row, the verdicts flattened into cells.
    auto& out = session.stdout_stream();
    if (session.out().format() == Format::json) {
      const Record record = Record()
                                .add("ok", ok)
                                .add("from", from)
                                .add("to", to)
                                .add("server", Value::List{server_verdict})
                                .add("client", Value::List{client_verdict});
      write_json(out, record, OneRecordList::object);
      out << '\n';
    } else {
      Record record;
      record.add("ok", ok).add("from", from).add("to", to);
      for (const auto& [key, value] : server_verdict.fields) record.add("server_" + key, value);
      for (const auto& [key, value] : client_verdict.fields) record.add("client_" + key, value);
      session.out().single(record);
    }
  }
  return ok ? kExitOk : kExitVerifyFailed;
}

const char* const kWho = "auditor";

}  // namespace

std::vector<CommandSpec> audit_commands() {
  return {
      {"audit tail",
       kWho,
       "follow the live log, one line per event, until Ctrl-C",
       {},
       {{"from", "N", "start at this position (default: the next event after the current head)"},
        {"stream", "ID", "only this stream, e.g. offer-sunhill"},
        {"type", "TYPE", "only this event type, e.g. PlacementAdmitted", false, true},
        {"max", "N", "stop after N events"}},
       {"placectl --as auditor audit tail", "placectl --as auditor audit tail --from 1 --type OfferRegistered --json"},
       false,
       tail},
      {"audit export",
       kWho,
       "the log as JSON Lines with hashes, for offline verification (docs/AUDIT.md)",
       {},
       {{"from", "N", "the first position (default 1)"},
        {"to", "N", "the last position (default: the head when the export starts)"},
        {"output", "FILE", "write to FILE instead of stdout"}},
       {"placectl --as auditor audit export --output log.jsonl && tools/verify_export.py log.jsonl"},
       false,
       export_events},
      {"audit verify",
       kWho,
       "verify the hash chain on the server and again here; exit 3 when broken",
       {},
       {{"from", "N", "the first position (default 1)"}, {"to", "N", "the last position (default: the head)"}},
       {"placectl --as auditor audit verify", "placectl --as auditor audit verify --from 100 --to 200 --json"},
       false,
       verify},
      {"audit head",
       kWho,
       "the log's last position and its hash",
       {},
       {},
       {"placectl --as auditor audit head"},
       false,
       head},
  };
}

}  // namespace placement::placectl
