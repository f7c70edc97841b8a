// Env: the seam between novelta and the operating system (files, clock).
//
// Everything in the core that touches the file system or reads the time goes
// through an Env, so tests can inject faults (a full disk, a read-only
// directory, a crash half-way through a write) and a fixed clock.
// Env::Default() is the POSIX implementation.
//
// Thread-safety: implementations must be safe for concurrent use.
#ifndef NOVELTA_BASE_ENV_H_
#define NOVELTA_BASE_ENV_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "novelta/status.h"

namespace novelta {

// A file read from its start to its end, a piece at a time (Env::NewSequentialFile).
//
// Thread-safety: not thread-safe; one reader.
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to `n` bytes into `scratch` (at least `n` bytes long) and points
  // `*result` at the bytes read, which may live in `scratch`; an empty result
  // means the end of the file. Fails with an IOError naming the file.
  virtual Status Read(size_t n, std::string_view* result, char* scratch) = 0;
};

// A file written by appending (Env::NewWritableFile). The implementation may
// buffer: data reaches the file by Flush, Sync or Close. Destroying an
// unclosed file closes it, dropping any error.
//
// Thread-safety: not thread-safe; one writer.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Hands buffered data to the operating system.
  virtual Status Flush() = 0;
  // Flushes, then makes the file's contents durable (fsync).
  virtual Status Sync() = 0;
  // Flushes and closes; the file takes no more appends. A write error left
  // pending (a full disk) surfaces here at the latest.
  virtual Status Close() = 0;
};

// An exclusive lock on a file, held until destroyed (see Env::LockFile). The
// kernel drops it when the holder dies, so a crash never leaves it held.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Env {
 public:
  virtual ~Env() = default;

  // The process-wide POSIX environment. Never deleted.
  static Env* Default();

  // Reads a whole file. Fails with NotFound / IOError naming the path, and
  // with InvalidArgument when the file is larger than `max_bytes`.
  virtual Status ReadFile(const std::string& path, std::string* contents,
                          uint64_t max_bytes = UINT64_MAX);

  // Opens `path` for reading from its start. Fails with NotFound /
  // PermissionDenied / IOError naming the path.
  virtual Status NewSequentialFile(const std::string& path, std::unique_ptr<SequentialFile>* result);
  // Creates `path` (truncating any file there) for appending. Fails with
  // NotFound / PermissionDenied / ResourceExhausted / IOError naming the path.
  virtual Status NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* result);

  // Writes `data` to `path` so that readers see either the old file or the
  // complete new one: write to a temporary file beside it, fsync, rename.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data);

  virtual Status RenameFile(const std::string& from, const std::string& to);
  // Swaps two existing paths (files or directories) in one atomic step, so a
  // crash leaves each name holding one of the two. FailedPrecondition when the
  // file system cannot do it (callers then fall back to two renames).
  virtual Status ExchangePaths(const std::string& a, const std::string& b);
  virtual Status RemoveFile(const std::string& path);
  // Removes a directory tree; OK when it does not exist.
  virtual Status RemoveTree(const std::string& path);
  // Creates a directory and its parents; OK when it already exists.
  virtual Status CreateDirs(const std::string& path);
  virtual bool FileExists(const std::string& path);
  virtual bool IsDirectory(const std::string& path);
  virtual Status FileSize(const std::string& path, uint64_t* size);
  // Flushes a directory's entries to disk (after a rename into it).
  virtual Status SyncDir(const std::string& path);
  // The names of the entries of directory `dir` (without "." and "..").
  virtual Status GetChildren(const std::string& dir, std::vector<std::string>* names);
  // Takes an exclusive advisory lock on `path` (creating the file) without
  // waiting: FailedPrecondition when another holder — this process or
  // another — has it.
  virtual Status LockFile(const std::string& path, std::unique_ptr<FileLock>* lock);

  // Wall-clock time in microseconds since the epoch.
  virtual uint64_t NowMicros();
  // Monotonic time in microseconds, for durations.
  virtual uint64_t MonotonicMicros();
};

// Replaces directory `target` with the complete directory `staged` in a way
// that never leaves `target` half-written: when `target` exists the two are
// exchanged atomically (a crash at any moment leaves `target` holding the old
// or the new tree, never nothing) and the old tree removed; where the file
// system cannot exchange, the old target is moved aside, `staged` renamed into
// place, then the old one removed.
Status ReplaceDirectory(Env* env, const std::string& staged, const std::string& target);

// One writer's new version of directory `target`, built in a staging
// directory beside it and swapped in by Commit (ReplaceDirectory).
//
// Begin locks `target.lock` for the writer's lifetime, so two writers of one
// target fail fast instead of overwriting each other's work; holding the lock
// also proves that any `target.staging-*` / `target.old.tmp-*` left beside it
// belongs to a writer that died mid-way, and Begin removes those.
// Destroying an uncommitted StagingDirectory removes the staged tree.
//
// Thread-safety: not thread-safe; one owner.
class StagingDirectory {
 public:
  static StatusOr<std::unique_ptr<StagingDirectory>> Begin(Env* env, const std::string& target);
  ~StagingDirectory();
  StagingDirectory(const StagingDirectory&) = delete;
  StagingDirectory& operator=(const StagingDirectory&) = delete;

  // The staging directory to write the new version into.
  const std::string& path() const { return path_; }
  const std::string& target() const { return target_; }
  // Swaps the staged tree into place as `target`.
  Status Commit();

 private:
  StagingDirectory(Env* env, std::string target, std::string path, std::unique_ptr<FileLock> lock)
      : env_(env), target_(std::move(target)), path_(std::move(path)), lock_(std::move(lock)) {}
  Env* env_;
  std::string target_;
  std::string path_;
  std::unique_ptr<FileLock> lock_;
  bool committed_ = false;
};

}  // namespace novelta

#endif  // NOVELTA_BASE_ENV_H_
