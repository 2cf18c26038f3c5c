#pragma once
// The citizen-identifying part of a placement, kept apart in every event that carries it.
//
// The domain never needs the person, only stable identities to compare: one active placement per
// citizen and offer, and the state refund's household sum. So a CitizenRef holds opaque values
// the server's key store issues (services/privacy/citizen_keys.h): random ids that say nothing
// about the person, and the pseudonyms sealed under a key of that citizen's. Erasing the citizen
// destroys the key; the ids stay, so every rule and every aggregate gives the same answer before
// and after, but nothing links the events to a person any more.

#include <string>

namespace placement::domain {

struct CitizenRef {
  std::string citizen_id;    // random, one per citizen; opaque to the domain
  std::string household_id;  // for children: random, one per household; empty when none
  std::string sealed;        // opaque bytes (the pseudonyms, encrypted); never read by the domain
  friend bool operator==(const CitizenRef&, const CitizenRef&) = default;
};

}  // namespace placement::domain
