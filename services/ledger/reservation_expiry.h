#pragma once
// Lets reservations lapse: every interval it finds reserved placements whose hold period has
// passed and issues ExpireReservation for each, as the server. The domain refuses an expiry
// that comes too early, so a late or repeated sweep is harmless; the command id names the
// placement and its hold, so a retry after a crash writes nothing twice.

#include <chrono>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "services/base/clock.h"
#include "services/ledger/ledger.h"

namespace placement::ledger {

class ReservationExpiry {
 public:
  ReservationExpiry(Ledger& ledger, const Clock& clock, std::chrono::milliseconds interval);
  ~ReservationExpiry();  // stops the sweeps

  // One sweep, now; returns how many expiries were issued. For tests and the timer.
  std::size_t sweep();

 private:
  void schedule();

  Ledger& ledger_;
  const Clock& clock_;
  const std::chrono::milliseconds interval_;
  boost::asio::io_context context_;
  boost::asio::steady_timer timer_;
  std::thread thread_;
};

}  // namespace placement::ledger
