#pragma once
// Shared by the commands that show codes (OrganisationService): the stub, and the names of regions
// and municipalities, shown next to their codes in tables (JSON Lines and CSV keep the bare codes;
// `placectl regions` and `placectl municipalities` give the names to join with).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "clients/placectl/output.h"

#include "placement/v1/organisation_service.grpc.pb.h"

namespace placement::placectl {

class Session;

v1::OrganisationService::Stub& organisation(Session& session);

struct Names {
  std::map<std::uint32_t, std::string> regions;
  std::map<std::uint32_t, std::string> municipalities;
  // "1086 Østdanmark", or the code alone when its name is unknown.
  std::string region(std::uint32_t code) const;
  // A region's or a municipality's code with its name.
  std::string operator_of(std::uint32_t code) const;
};

// Every region's and municipality's name, read once per run (empty when the server refuses).
const Names& names(Session& session);

// In a table, each row's `region` and `operator` codes become "code name" (a total row's empty
// key is left alone); JSON Lines and CSV are left as they are.
void name_codes(Session& session, std::vector<Record>& rows);

}  // namespace placement::placectl
