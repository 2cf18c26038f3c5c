#pragma once
// Erasing a citizen (AdminService.EraseCitizen): find whom the request names, record the erasure
// in the log (EraseCitizen → CitizenErased on stream "erasures"), then destroy the citizen's key
// (citizen_keys.h). Record first: a crash in between leaves a recorded erasure whose key still
// exists, which a retry with the same command id, or the next start (finish_recorded), completes;
// the other order could destroy a key with no record of why.
//
// Idempotent: a citizen is erased once. A second request for a citizen the log already records as
// erased (under any command id) writes nothing and answers the first erasure's positions with
// `duplicate` set, after making sure the key is gone; two requests for the same citizen at once
// get one erasure and `conflict` (ABORTED) for the other.

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include <boost/asio/thread_pool.hpp>

#include "placement/v1/admin_service.pb.h"
#include "placement/v1/envelope.pb.h"
#include "services/base/result.h"
#include "services/ledger/ledger.h"
#include "services/privacy/citizen_keys.h"
#include "services/privacy/pseudonymizer.h"
#include "storage/event_log.h"

namespace placement::privacy {

struct ErasedCitizen {
  ledger::CommandOutcome outcome;
  std::string citizen_id;
};

class CitizenErasure {
 public:
  using Done = std::function<void(Result<ErasedCitizen>)>;

  CitizenErasure(ledger::Ledger& ledger, CitizenKeys& keys, const Pseudonymizer& pseudonymizer)
      : ledger_(ledger), keys_(keys), pseudonymizer_(pseudonymizer) {}
  ~CitizenErasure();  // waits for an erasure in progress

  // Checks the request, records the erasure and destroys the key; `done` runs once both are done
  // (or refused), on a thread of this object's, never holding the ledger's writer.
  void erase(const v1::Actor& caller, const v1::EraseCitizenRequest& request, Done done);

  // Destroys the keys of citizens whose erasure the log records but whose key still exists, and
  // remembers every recorded erasure. Called once at start, before the first erase.
  Status finish_recorded(const storage::EventLog& log);

 private:
  Result<std::string> citizen_named_by(const v1::EraseCitizenRequest& request) const;
  // Destroys the key on the worker and answers; `recorded` is the erasure's outcome in the log.
  void destroy_key(const std::string& citizen_id, ledger::CommandOutcome recorded, const std::string& subject,
                   Done done);

  ledger::Ledger& ledger_;
  CitizenKeys& keys_;
  const Pseudonymizer& pseudonymizer_;
  std::mutex mutex_;                                        // guards the two below
  std::map<std::string, ledger::CommandOutcome> recorded_;  // citizen id → its erasure in the log
  std::set<std::string> in_progress_;                       // asked for, not yet recorded or refused
  boost::asio::thread_pool worker_{1};                      // compaction must not hold the writer thread
};

}  // namespace placement::privacy
