#include "services/files/backup_root.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "services/files/secret_file.h"

namespace placement::files {

namespace fs = std::filesystem;

bool is_within(const fs::path& path, const fs::path& folder) {
  auto p = path.begin();
  for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
    if (f->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *f) return false;
  }
  return true;
}

Result<BackupRoot> BackupRoot::open(const fs::path& root, std::vector<fs::path> forbidden) {
  if (root.empty() || !root.is_absolute())
    return fail(Errc::invalid_argument, "the backup root must be an absolute path");
  for (auto& folder : forbidden) {
    std::error_code ec;
    folder = fs::weakly_canonical(folder, ec);
    if (ec) return fail(Errc::invalid_argument, "cannot resolve " + folder.string() + ": " + ec.message());
  }
  std::error_code ec;
  const fs::path planned = fs::weakly_canonical(root, ec);
  if (ec) return fail(Errc::invalid_argument, "cannot resolve the backup root " + root.string() + ": " + ec.message());
  for (const auto& folder : forbidden) {
    if (is_within(planned, folder) || is_within(folder, planned))
      return fail(Errc::invalid_argument, "the backup root " + root.string() + " must lie apart from " +
                                              folder.string() + " (neither inside the other)");
  }
  PLACEMENT_TRY(make_private_folder(root, "backup root"));
  const fs::path canonical = fs::canonical(root, ec);
  if (ec) return fail(Errc::unavailable, "cannot resolve the backup root " + root.string() + ": " + ec.message());
  return BackupRoot(canonical, std::move(forbidden));
}

Result<fs::path> BackupRoot::resolve(std::string_view requested) const {
  if (requested.empty())
    return fail(Errc::invalid_argument, "destination is required: a folder below the backup root " + root_.string());
  const fs::path asked(requested);
  for (const auto& part : asked)
    if (part == "..") return fail(Errc::invalid_argument, "destination may not contain '..'");
  const fs::path joined = asked.is_absolute() ? asked : root_ / asked;
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(joined, ec);
  if (ec) return fail(Errc::invalid_argument, "cannot resolve destination: " + ec.message());
  if (!is_within(resolved, root_))
    return fail(Errc::invalid_argument, "destination must lie below the backup root " + root_.string() +
                                            " (give a folder name, or an absolute path below it)");
  for (const auto& folder : forbidden_)
    if (is_within(resolved, folder) || is_within(folder, resolved))
      return fail(Errc::invalid_argument, "destination may not be or hold " + folder.string());
  return resolved;
}

Result<fs::path> BackupRoot::create(const fs::path& resolved) const {
  std::error_code ec;
  // Each missing level is made owner-only; an existing level is left as it is (the root is 0700).
  fs::path level = root_;
  for (const auto& part : resolved.lexically_relative(root_)) {
    if (part == ".") continue;
    level /= part;
    if (::mkdir(level.c_str(), 0700) != 0 && errno != EEXIST)
      return fail(Errc::unavailable, "cannot create " + level.string() + ": " + std::strerror(errno));
  }
  // Made or not, it must be a real folder still below the root now.
  const fs::path made = fs::canonical(resolved, ec);
  if (ec || !fs::is_directory(made) || !is_within(made, root_))
    return fail(Errc::invalid_argument, "destination " + resolved.string() + " is not a folder below the backup root");
  return made;
}

}  // namespace placement::files
