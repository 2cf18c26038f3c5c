#pragma once
// Files only the server's user may read: secrets (the token secret, the pseudonym key, the
// checkpoint signing key) and the folders holding the ledger and the citizen keys. POSIX only.

#include <filesystem>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::files {

// Creates `path` holding `bytes`, mode 0600, never replacing anything. The bytes go to a new file
// of an unpredictable name in the same folder (open with O_CREAT | O_EXCL | O_NOFOLLOW, so a link
// planted there is never followed and nothing is written through it), which is synced, then
// renamed to `path` without replacing (renameat2 RENAME_NOREPLACE), and the folder is synced: once
// this returns the file is durable, and at no moment did it exist with other modes or half
// written. `what` names the file in messages ("pseudonym key file"). Errors: already_exists when
// `path` exists (a file, a link or anything else: created concurrently); unavailable when it
// cannot be written.
Status create_secret_file(const std::filesystem::path& path, std::string_view bytes, std::string_view what);

// Reads a secret file. Refused (failed_precondition, with what to do) when it is not a regular
// file (a link is not followed), is not owned by this process's user, or is readable or writable
// by group or others. Errors: not_found when missing; unavailable when unreadable.
Result<std::string> read_secret_file(const std::filesystem::path& path, std::string_view what);

// The same checks without reading: ok when `path` is an owner-only regular file of this user.
Status check_secret_file(const std::filesystem::path& path, std::string_view what);

// Creates the folder when missing (mode 0700) and makes it 0700 when it exists with wider modes
// (logged by the caller from the returned flag): the data folder and the key store hold what no
// other user may read. Refuses a path that is a symbolic link or not a folder.
Result<bool> make_private_folder(const std::filesystem::path& folder, std::string_view what);

}  // namespace placement::files
