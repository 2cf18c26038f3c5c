#pragma once
// Where AdminService.CreateBackup may write: only below the backup root the operator configured
// (--backup-root), never into the data folder or the citizen key store, whatever path a caller
// sends.

#include <filesystem>
#include <string_view>
#include <vector>

#include "services/base/result.h"

namespace placement::files {

class BackupRoot {
 public:
  // Creates the root when missing (0700) and canonicalises it. `forbidden`: the folders a backup
  // must never touch (the data folder, the key store). Refused (invalid_argument) when the root is
  // inside one of them or holds one.
  static Result<BackupRoot> open(const std::filesystem::path& root, std::vector<std::filesystem::path> forbidden);

  // The folder a backup named `requested` goes to, without touching the disk: `requested` is a path
  // relative to the root, or an absolute path below it; it may not hold a ".." component, and once
  // canonicalised (symbolic links resolved) it must still lie below the root and outside every
  // forbidden folder. Errors: invalid_argument naming the rule broken.
  Result<std::filesystem::path> resolve(std::string_view requested) const;
  // Creates a resolved folder (each new level 0700) when missing, and checks it is still a folder
  // below the root. Errors: invalid_argument when it is not; unavailable when it cannot be made.
  Result<std::filesystem::path> create(const std::filesystem::path& resolved) const;
  // Both.
  Result<std::filesystem::path> destination(std::string_view requested) const {
    PLACEMENT_TRY(resolved, resolve(requested));
    return create(resolved);
  }

  const std::filesystem::path& path() const { return root_; }

 private:
  BackupRoot(std::filesystem::path root, std::vector<std::filesystem::path> forbidden)
      : root_(std::move(root)), forbidden_(std::move(forbidden)) {}

  std::filesystem::path root_;                    // canonical
  std::vector<std::filesystem::path> forbidden_;  // weakly canonical
};

// True when `path` is `folder` or lies below it, both already canonical.
bool is_within(const std::filesystem::path& path, const std::filesystem::path& folder);

}  // namespace placement::files
