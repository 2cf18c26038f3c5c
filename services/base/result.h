#pragma once
// The one error model of the project: every fallible function returns Result<T>.
// An Error carries a code a caller can branch on and a message a person can act on.
// Exceptions never cross a module boundary; bad input is an Error, never an assertion.

#include <string>
#include <string_view>
#include <utility>

#include <boost/outcome/result.hpp>
#include <boost/outcome/try.hpp>

namespace placement {

enum class Errc {
  invalid_argument,     // malformed input: fix the request
  failed_precondition,  // a domain rule refuses it in the current state
  conflict,             // a concurrent change won (optimistic concurrency); retry with fresh state
  already_exists,
  not_found,
  permission_denied,
  unauthenticated,
  unavailable,        // storage cannot write right now (disk full, read-only, shutting down)
  internal,           // a bug or a corrupt store: never the caller's fault
  data_loss,          // stored bytes fail verification
  deadline_exceeded,  // the caller stopped waiting before the work began; nothing was done
  out_of_range,       // past the end of what exists (a tree size or position beyond the log's head)
};

std::string_view to_string(Errc code);

struct Error {
  Errc code;
  std::string message;
};

namespace outcome = boost::outcome_v2;

// [[nodiscard]] comes with outcome's result type: an ignored Result does not compile with -Werror.
template <class T> using Result = outcome::result<T, Error, outcome::policy::terminate>;

using Status = Result<void>;

inline auto fail(Errc code, std::string message) { return outcome::failure(Error{code, std::move(message)}); }

inline Status ok() { return outcome::success(); }

}  // namespace placement

// The one way to pass an error on: inside a function returning a Result or a Status (a statement
// of its own: braces around it under an if or a loop),
//   PLACEMENT_TRY(status_expression);                 returns its error when it failed;
//   PLACEMENT_TRY(name, result_expression);           returns its error, or binds its value to `auto&& name`;
//   PLACEMENT_TRY_ASSIGN(target, result_expression);  returns its error, or moves its value into `target`.
#define PLACEMENT_TRY(...) BOOST_OUTCOME_TRY(__VA_ARGS__)
#define PLACEMENT_TRY_ASSIGN(target, ...) PLACEMENT_TRY_ASSIGN_(BOOST_OUTCOME_TRY_UNIQUE_NAME, target, __VA_ARGS__)
#define PLACEMENT_TRY_ASSIGN_(unique, target, ...) \
  PLACEMENT_TRY(unique, __VA_ARGS__);              \
  target = std::move(unique)
