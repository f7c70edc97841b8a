#include "services/sqlite_status.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace novelta {
namespace {

// Why the state directory cannot be written ("Read-only file system"), or ""
// when it can (or is missing, which is another error).
std::string UnwritableReason(const std::string& dir) {
  if (::access(dir.c_str(), W_OK) == 0) return "";
  int err = errno;
  if (err != EROFS && err != EACCES && err != EPERM) return "";
  return std::strerror(err);
}

}  // namespace

Status SqliteStatus(int rc, int sys_errno, const std::string& message, const std::string& path,
                    const std::string& context) {
  int primary = rc & 0xff;
  if (primary == SQLITE_FULL ||
      (primary == SQLITE_IOERR && (sys_errno == ENOSPC || sys_errno == EDQUOT))) {
    return Status::ResourceExhausted(context + ": storage full: cannot write " + path + " (" + message +
                                     "); retry later, once disk space is freed");
  }
  if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM ||
      primary == SQLITE_IOERR || primary == SQLITE_AUTH) {
    std::string dir = path.substr(0, path.find_last_of('/'));
    std::string why = UnwritableReason(dir);
    if (!why.empty() || primary == SQLITE_READONLY) {
      if (why.empty()) why = "the database file is read-only";
      return Status::FailedPrecondition(context + ": state directory " + dir + " is read-only or not writable (" +
                                        why + "): cannot write " + path + " (" + message + ")");
    }
  }
  return Status::IOError(context + ": " + path + ": " + message);
}

}  // namespace novelta
