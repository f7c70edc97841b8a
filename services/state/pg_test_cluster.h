// For tests: a throwaway PostgreSQL cluster, Debian's server binaries run in a
// fresh directory under the system's temporary directory on a free loopback
// port, and removed afterwards. PostgreSQL refuses to run as root; as root,
// the cluster runs as the user "nobody".
//
// Thread-safety: one thread at a time.
#ifndef NOVELTA_SERVICES_STATE_PG_TEST_CLUSTER_H_
#define NOVELTA_SERVICES_STATE_PG_TEST_CLUSTER_H_

#include <libpq-fe.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "novelta/status.h"

namespace novelta::testing_support {

class PgTestCluster {
 public:
  // Makes and starts a cluster; FailedPrecondition (naming its log) when the
  // server binaries are missing or it does not start.
  static StatusOr<std::unique_ptr<PgTestCluster>> Start() {
    std::unique_ptr<PgTestCluster> c(new PgTestCluster());
    std::string tmpl = (std::filesystem::temp_directory_path() / "novelta_pg_XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) return Status::IOError("cannot make a directory for PostgreSQL");
    c->dir_ = tmpl;
    c->bindir_ = Capture("pg_config --bindir");
    if (c->bindir_.empty() || !std::filesystem::exists(c->bindir_ + "/initdb")) {
      for (const char* v : {"17", "16", "15", "14", "13"}) {
        std::string d = std::string("/usr/lib/postgresql/") + v + "/bin";
        if (std::filesystem::exists(d + "/initdb")) c->bindir_ = d;
      }
    }
    if (!std::filesystem::exists(c->bindir_ + "/initdb")) {
      return Status::FailedPrecondition("PostgreSQL server binaries (initdb) not found; install Debian's postgresql");
    }
    if (::geteuid() == 0) {
      c->as_user_ = "setpriv --reuid=nobody --regid=nogroup --clear-groups -- ";
      if (std::system(("chown nobody:nogroup " + c->dir_).c_str()) != 0) {
        return Status::IOError("cannot hand " + c->dir_ + " to nobody");
      }
    }
    c->port_ = FreePort();
    std::string init = c->as_user_ + c->bindir_ + "/initdb -D " + c->dir_ + "/data -U novelta -A trust -E UTF8 " +
                       "--no-sync >" + c->dir_ + "/initdb.log 2>&1";
    if (std::system(init.c_str()) != 0) {
      return Status::FailedPrecondition("initdb failed; see " + c->dir_ + "/initdb.log");
    }
    NOVELTA_RETURN_IF_ERROR(c->Resume());
    NOVELTA_RETURN_IF_ERROR(c->Sql("CREATE DATABASE novelta"));
    return c;
  }

  ~PgTestCluster() {
    if (running_) Halt();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  int port() const { return port_; }
  // The URI of database `db`.
  std::string Uri(const std::string& db = "novelta") const {
    return "postgresql://novelta@127.0.0.1:" + std::to_string(port_) + "/" + db;
  }
  // A new, empty database; returns its URI.
  StatusOr<std::string> NewDatabase(const std::string& name) {
    NOVELTA_RETURN_IF_ERROR(Sql("CREATE DATABASE " + name));
    return Uri(name);
  }
  // Runs `sql` in database `db` as the superuser.
  Status Sql(const std::string& sql, const std::string& db = "postgres") const {
    PGconn* conn = PQconnectdb(Uri(db).c_str());
    Status s;
    if (PQstatus(conn) != CONNECTION_OK) {
      s = Status::FailedPrecondition(std::string("cannot connect: ") + PQerrorMessage(conn));
    } else {
      PGresult* r = PQexec(conn, sql.c_str());
      ExecStatusType st = PQresultStatus(r);
      if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) s = Status::IOError(PQresultErrorMessage(r));
      PQclear(r);
    }
    PQfinish(conn);
    return s;
  }
  // The first column of the first row of `sql`'s result, "" when none.
  std::string Value(const std::string& sql, const std::string& db = "novelta") const {
    PGconn* conn = PQconnectdb(Uri(db).c_str());
    std::string out;
    if (PQstatus(conn) == CONNECTION_OK) {
      PGresult* r = PQexec(conn, sql.c_str());
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
      PQclear(r);
    }
    PQfinish(conn);
    return out;
  }

  // Stops the server at once, as a crash would (pg_ctl stop -m immediate).
  void Halt() {
    std::system((as_user_ + bindir_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop >>" + dir_ +
                 "/pg.log 2>&1").c_str());
    running_ = false;
  }
  // Starts the stopped server again on the same port.
  Status Resume() {
    std::string opts = "-p " + std::to_string(port_) + " -k " + dir_ +
                       " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200";
    std::string start = as_user_ + bindir_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/pg.log -w -t 60 -o \"" +
                        opts + "\" start >>" + dir_ + "/pg_ctl.log 2>&1";
    if (std::system(start.c_str()) != 0) {
      return Status::FailedPrecondition("PostgreSQL did not start; see " + dir_ + "/pg.log");
    }
    running_ = true;
    return Status::OK();
  }

 private:
  PgTestCluster() = default;

  static std::string Capture(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen((cmd + " 2>/dev/null").c_str(), "r");
    if (!p) return out;
    char buf[512];
    size_t k;
    while ((k = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, k);
    ::pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }

  static int FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    socklen_t len = sizeof(a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    int port = ntohs(a.sin_port);
    ::close(fd);
    return port;
  }

  std::string dir_, bindir_, as_user_;
  int port_ = 0;
  bool running_ = false;
};

// The cluster the tests of one process share, started when first asked for
// and removed at exit; nullptr (with the reason in `why`) when it cannot start.
inline PgTestCluster* SharedPgCluster(std::string* why = nullptr) {
  static StatusOr<std::unique_ptr<PgTestCluster>> cluster = PgTestCluster::Start();
  if (!cluster.ok()) {
    if (why) *why = cluster.status().ToString();
    return nullptr;
  }
  return cluster->get();
}

}  // namespace novelta::testing_support

#endif  // NOVELTA_SERVICES_STATE_PG_TEST_CLUSTER_H_
