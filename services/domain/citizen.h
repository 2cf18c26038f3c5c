#pragma once
// The citizen-identifying part of a placement, kept apart in every event that carries it so a
// later step can encrypt it under a per-citizen key (and erase the citizen by dropping the key).

#include <string>

namespace placement::domain {

struct CitizenRef {
  std::string pseudonym;            // keyed pseudonym of the CPR number; opaque to the domain
  std::string household_pseudonym;  // for children: pseudonym of the household; empty when none
  friend bool operator==(const CitizenRef&, const CitizenRef&) = default;
};

}  // namespace placement::domain
