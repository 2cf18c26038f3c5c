#pragma once
// Builders for the event log's tests: a request of n test events on one stream, and one request
// appended on its own.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "storage/event_log.h"

namespace placement::testing {

inline storage::AppendRequest request(std::string command_id, std::string stream, storage::ExpectedVersion expected,
                                      int events = 1, std::size_t payload_bytes = 0) {
  storage::AppendRequest r;
  r.command_id = std::move(command_id);
  r.actor.set_subject("tester");
  r.actor.set_role(v1::ROLE_ADMIN);
  r.recorded_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  storage::StreamAppend s{std::move(stream), expected, {}};
  for (int i = 0; i < events; ++i) {
    std::string payload = "payload-" + std::to_string(i);
    if (payload.size() < payload_bytes) payload.resize(payload_bytes, 'x');
    s.events.push_back(storage::NewEvent{"TestEvent", std::move(payload)});
  }
  r.streams.push_back(std::move(s));
  return r;
}

inline Result<storage::AppendResult> append_one(storage::EventLog& log, storage::AppendRequest r) {
  std::vector<storage::AppendRequest> batch;
  batch.push_back(std::move(r));
  auto outcome = log.append(std::move(batch));
  return std::move(outcome.results.at(0));
}

}  // namespace placement::testing
