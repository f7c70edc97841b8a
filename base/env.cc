#include "base/env.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>  // renameat2, RENAME_EXCHANGE
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

namespace novelta {
namespace {

Status ErrnoStatus(const std::string& context, int err) {
  std::string msg = context + ": " + std::strerror(err);
  if (err == ENOENT) return Status::NotFound(msg);
  if (err == EACCES || err == EPERM || err == EROFS) return Status::PermissionDenied(msg);
  if (err == ENOSPC || err == EDQUOT) return Status::ResourceExhausted(msg);
  return Status::IOError(msg);
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::OK();
}

std::string TempSuffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rng() % 1000000000ULL);
}

}  // namespace

Env* Env::Default() {
  static Env* env = new Env();
  return env;
}

Status Env::ReadFile(const std::string& path, std::string* contents, uint64_t max_bytes) {
  contents->clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus(path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + ": is a directory");
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return Status::InvalidArgument(path + ": file is " + std::to_string(st.st_size) +
                                   " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus(path, err);
    }
    if (n == 0) break;
    contents->append(buf, static_cast<size_t>(n));
    if (contents->size() > max_bytes) {
      ::close(fd);
      return Status::InvalidArgument(path + ": file is larger than the limit of " +
                                     std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return Status::OK();
}

namespace {

class PosixSequentialFile : public SequentialFile {
 public:
  PosixSequentialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixSequentialFile() override { ::close(fd_); }

  Status Read(size_t n, std::string_view* result, char* scratch) override {
    while (true) {
      const ssize_t r = ::read(fd_, scratch, n);
      if (r >= 0) {
        *result = std::string_view(scratch, static_cast<size_t>(r));
        return Status::OK();
      }
      if (errno != EINTR) {
        *result = std::string_view();
        return ErrnoStatus(path_, errno);
      }
    }
  }

 private:
  const std::string path_;
  const int fd_;
};

// Appends gather in a buffer of kBufferSize bytes, so that writing a file a
// line at a time costs a system call per buffer, not per line.
class PosixWritableFile : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override { Close(); }

  Status Append(std::string_view data) override {
    if (fd_ < 0) return Status::FailedPrecondition(path_ + ": appended to after Close");
    if (data.size() <= kBufferSize - buffer_.size()) {
      buffer_.append(data);
      return Status::OK();
    }
    NOVELTA_RETURN_IF_ERROR(Flush());
    if (data.size() < kBufferSize) {
      buffer_.append(data);
      return Status::OK();
    }
    return WriteAll(fd_, data, path_);
  }

  Status Flush() override {
    if (buffer_.empty()) return Status::OK();
    if (fd_ < 0) return Status::FailedPrecondition(path_ + ": flushed after Close");
    Status s = WriteAll(fd_, buffer_, path_);
    buffer_.clear();
    return s;
  }

  Status Sync() override {
    NOVELTA_RETURN_IF_ERROR(Flush());
    if (fd_ < 0) return Status::FailedPrecondition(path_ + ": synced after Close");
    if (::fsync(fd_) != 0) return ErrnoStatus(path_, errno);
    return Status::OK();
  }

  Status Close() override {
    if (fd_ < 0) return Status::OK();
    Status s = Flush();
    if (::close(fd_) != 0 && s.ok()) s = ErrnoStatus(path_, errno);
    fd_ = -1;
    return s;
  }

 private:
  static constexpr size_t kBufferSize = 64 << 10;
  const std::string path_;
  int fd_;  // -1 once closed
  std::string buffer_;
};

}  // namespace

Status Env::NewSequentialFile(const std::string& path, std::unique_ptr<SequentialFile>* result) {
  result->reset();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  *result = std::make_unique<PosixSequentialFile>(path, fd);
  return Status::OK();
}

Status Env::NewWritableFile(const std::string& path, std::unique_ptr<WritableFile>* result) {
  result->reset();
  // 0666 less the umask, as fopen creates files.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return ErrnoStatus(path, errno);
  *result = std::make_unique<PosixWritableFile>(path, fd);
  return Status::OK();
}

Status Env::WriteFileAtomic(const std::string& path, std::string_view data) {
  const std::string tmp = path + TempSuffix();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus(tmp, errno);
  Status s = WriteAll(fd, data, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = ErrnoStatus(tmp, errno);
  if (::close(fd) != 0 && s.ok()) s = ErrnoStatus(tmp, errno);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = ErrnoStatus(path, errno);
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  return SyncDir(dir.empty() ? "." : dir);
}

Status Env::RenameFile(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus(from + " -> " + to, errno);
  return Status::OK();
}

Status Env::ExchangePaths(const std::string& a, const std::string& b) {
  if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return Status::OK();
  int err = errno;
  if (err == EINVAL || err == ENOSYS || err == ENOTSUP) {
    return Status::FailedPrecondition(a + " <-> " + b + ": the file system cannot exchange paths atomically");
  }
  return ErrnoStatus(a + " <-> " + b, err);
}

Status Env::RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return ErrnoStatus(path, errno);
  return Status::OK();
}

Status Env::RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) return Status::IOError(path + ": " + ec.message());
  return Status::OK();
}

Status Env::CreateDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    if (ec == std::errc::permission_denied || ec == std::errc::read_only_file_system)
      return Status::PermissionDenied(path + ": " + ec.message());
    return Status::IOError(path + ": " + ec.message());
  }
  return Status::OK();
}

bool Env::FileExists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

bool Env::IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status Env::FileSize(const std::string& path, uint64_t* size) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(path, errno);
  *size = static_cast<uint64_t>(st.st_size);
  return Status::OK();
}

Status Env::SyncDir(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  Status s;
  if (::fsync(fd) != 0 && errno != EINVAL) s = ErrnoStatus(path, errno);
  ::close(fd);
  return s;
}

Status Env::GetChildren(const std::string& dir, std::vector<std::string>* names) {
  names->clear();
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoStatus(dir, errno);
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names->push_back(std::move(name));
  }
  ::closedir(d);
  return Status::OK();
}

namespace {
class PosixFileLock : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
};
}  // namespace

Status Env::LockFile(const std::string& path, std::unique_ptr<FileLock>* lock) {
  lock->reset();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus(path, errno);
  // flock, not fcntl locks: those are per process, so a second lock taken in
  // the same process would silently succeed.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return Status::FailedPrecondition(path + ": held by another writer");
    return ErrnoStatus(path, err);
  }
  *lock = std::make_unique<PosixFileLock>(fd);
  return Status::OK();
}

uint64_t Env::NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t Env::MonotonicMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Status ReplaceDirectory(Env* env, const std::string& staged, const std::string& target) {
  std::string parent = std::filesystem::path(target).parent_path().string();
  if (parent.empty()) parent = ".";
  if (env->FileExists(target)) {
    // One atomic step: there is no moment at which `target` is missing.
    Status swapped = env->ExchangePaths(staged, target);
    if (swapped.ok()) {
      NOVELTA_RETURN_IF_ERROR(env->SyncDir(parent));
      return env->RemoveTree(staged);  // now the old tree
    }
    if (swapped.code() != Status::Code::kFailedPrecondition) return swapped;
  }
  std::string old;
  if (env->FileExists(target)) {
    old = target + ".old" + TempSuffix();
    NOVELTA_RETURN_IF_ERROR(env->RenameFile(target, old));
  }
  Status s = env->RenameFile(staged, target);
  if (!s.ok()) {
    if (!old.empty()) env->RenameFile(old, target);  // put the previous one back
    return s;
  }
  NOVELTA_RETURN_IF_ERROR(env->SyncDir(parent));
  if (!old.empty()) return env->RemoveTree(old);
  return Status::OK();
}

StatusOr<std::unique_ptr<StagingDirectory>> StagingDirectory::Begin(Env* env,
                                                                    const std::string& target) {
  std::string t = std::filesystem::path(target).lexically_normal().string();
  while (t.size() > 1 && t.back() == '/') t.pop_back();
  std::filesystem::path tp(t);
  std::string parent = tp.parent_path().string();
  if (parent.empty()) parent = ".";
  NOVELTA_RETURN_IF_ERROR(env->CreateDirs(parent));
  std::unique_ptr<FileLock> lock;
  Status locked = env->LockFile(t + ".lock", &lock);
  if (locked.code() == Status::Code::kFailedPrecondition)
    return Status::FailedPrecondition(t + ": another build or update of this directory is running");
  NOVELTA_RETURN_IF_ERROR(locked);
  // With the lock held no other writer is alive: what earlier ones left is debris.
  std::vector<std::string> names;
  NOVELTA_RETURN_IF_ERROR(env->GetChildren(parent, &names));
  const std::string base = tp.filename().string();
  for (const auto& name : names) {
    if (name.rfind(base + ".staging-", 0) == 0 || name.rfind(base + ".old.tmp-", 0) == 0)
      NOVELTA_RETURN_IF_ERROR(env->RemoveTree(parent + "/" + name));
  }
  std::string path = t + ".staging-" + std::to_string(env->NowMicros());
  NOVELTA_RETURN_IF_ERROR(env->CreateDirs(path));
  return std::unique_ptr<StagingDirectory>(
      new StagingDirectory(env, std::move(t), std::move(path), std::move(lock)));
}

StagingDirectory::~StagingDirectory() {
  if (!committed_) env_->RemoveTree(path_);
}

Status StagingDirectory::Commit() {
  NOVELTA_RETURN_IF_ERROR(ReplaceDirectory(env_, path_, target_));
  committed_ = true;
  return Status::OK();
}

}  // namespace novelta
