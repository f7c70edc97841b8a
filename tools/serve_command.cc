// `novelta serve`: the REST service (see docs/api.md).
//
//   novelta serve --index DIR --state DIR [--port 8080] [--host 127.0.0.1] [--config FILE]
//
// Settings: defaults < --config FILE (JSON) < NOVELTA_* environment < flags.
// SIGTERM or SIGINT stops accepting connections, lets running jobs finish
// (up to shutdown_grace_seconds; the rest are re-queued for the next start)
// and exits 0.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "novelta/assessor.h"
#include "services/config.h"
#include "services/state/state_location.h"
#include "services/http/http_server.h"
#include "services/service.h"
#include "tools/command.h"

namespace novelta::tools {
namespace {

struct ServeFlags {
  std::string config_file, index_dir, state_dir, host;
  int port = 0, workers = 0;
  CLI::Option *port_opt = nullptr, *host_opt = nullptr, *workers_opt = nullptr, *index_opt = nullptr,
              *state_opt = nullptr;
};

int Fail(const Status& s) {
  std::fprintf(stderr, "novelta serve: %s\n", s.ToString().c_str());
  return s.IsInvalidArgument() ? 2 : 1;
}

// Every connection is a descriptor: raise the soft limit to the hard one so
// that max_connections fit beside the index's and the database's files.
void RaiseDescriptorLimit(int max_connections) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
    ::getrlimit(RLIMIT_NOFILE, &lim);
  }
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < wanted) {
    spdlog::warn("open-file limit {} is below max_connections + 256 = {}; connections past it are refused",
                 static_cast<uint64_t>(lim.rlim_cur), static_cast<uint64_t>(wanted));
  }
}

int RunServe(const ServeFlags& f) {
  ServiceConfig config;
  if (!f.config_file.empty()) {
    Status s = ApplyConfigFile(f.config_file, &config);
    if (!s.ok()) return Fail(s);
  }
  Status env = ApplyConfigEnv(&config);
  if (!env.ok()) return Fail(env);
  if (f.index_opt->count()) config.index_dir = f.index_dir;
  if (f.state_opt->count()) config.state_dir = f.state_dir;
  if (f.port_opt->count()) config.port = f.port;
  if (f.host_opt->count()) config.host = f.host;
  if (f.workers_opt->count()) config.workers = f.workers;
  if (config.index_dir.empty()) return Fail(Status::InvalidArgument("--index (or index_dir) is required"));
  Status valid = config.Validate();
  if (!valid.ok()) return Fail(valid);
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  RaiseDescriptorLimit(config.max_connections);
  if (config.pdf_reader.empty()) {
    // PDF uploads are read by this binary's `pdf-text` in a child process.
    std::error_code ec;
    config.pdf_reader = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (ec) config.pdf_reader = "none";
  }
  if (config.pdf_reader != "none" && ::access(config.pdf_reader.c_str(), X_OK) != 0) {
    return Fail(Status::InvalidArgument("pdf_reader " + config.pdf_reader + " is not an executable program"));
  }
  spdlog::info("novelta serve: settings {}", DumpJson(config.ToRedactedJson()));

  // Signals are taken by sigwait below, so every thread started from here on blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  AssessorOptions assessor_options = AssessorOptionsFromEnv();
  assessor_options.search_threads = 1;
  EngineOptions& engine = assessor_options.engine;
  engine.name = config.engine;
  engine.llm_url = config.llm_url;
  engine.llm_model = config.llm_model;
  engine.llm_api_key = config.llm_api_key;
  engine.llm_token_budget = config.llm_token_budget;
  if (!config.llm_cache.empty()) {
    engine.llm_cache = config.llm_cache;
  } else if (auto state = ParseStateLocation(config.state_dir);
             state.ok() && state->kind == StateLocation::Kind::kDirectory) {
    engine.llm_cache = config.state_dir + "/llm-cache.db";
  }
  auto assessor = OpenAssessor(config.index_dir, assessor_options);
  if (!assessor.ok()) return Fail(assessor.status());
  std::shared_ptr<const Assessor> shared_assessor(std::move(*assessor));
  IndexSummary idx = shared_assessor->index_summary();
  spdlog::info("index {} loaded: {} papers, {} dimensions", idx.index_id, idx.n_papers, idx.dimensions);

  auto service = NoveltyService::Open(config, shared_assessor);
  if (!service.ok()) return Fail(service.status());
  HttpServerOptions http;
  http.host = config.host;
  http.port = config.port;
  http.max_body_bytes = config.max_body_bytes;
  http.body_timeout_seconds = config.body_timeout_seconds;
  http.max_header_bytes = config.max_header_bytes;
  http.header_timeout_seconds = config.header_timeout_seconds;
  http.idle_timeout_seconds = config.idle_timeout_seconds;
  http.max_connections = config.max_connections;
  http.max_connections_per_address = config.max_connections_per_address;
  http.max_body_bytes_in_flight = config.max_body_bytes_in_flight;
  http.handler_timeout_seconds = config.max_wait_seconds + 60;  // a ?wait answers by its end
  http.threads = config.http_threads;
  http.queue = config.http_queue;
  NoveltyService* svc = service->get();
  auto server = HttpServer::Start(http, [svc](HttpRequest r, HttpReply reply) { svc->Handle(std::move(r), std::move(reply)); });
  if (!server.ok()) return Fail(server.status());
  spdlog::info("listening on http://{}:{}", config.host, (*server)->port());

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}; shutting down", sig == SIGTERM ? "SIGTERM" : "SIGINT");
  (*server)->Stop();
  int requeued = (*service)->Shutdown(std::chrono::seconds(config.shutdown_grace_seconds));
  spdlog::info("stopped; {} running job(s) re-queued for the next start", requeued);
  spdlog::default_logger()->flush();
  if (requeued > 0) std::_Exit(0);  // abandoned workers may still be inside the assessor
  return 0;
}

void AddServeCommand(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the REST service");
  flags->index_opt = cmd->add_option("--index", flags->index_dir, "Index directory built by `novelta index build`");
  flags->state_opt = cmd->add_option("--state", flags->state_dir, "Where jobs and API keys are kept: a directory (SQLite) or a postgresql:// URI shared by replicas");
  flags->port_opt = cmd->add_option("--port", flags->port, "TCP port (default 8080)");
  flags->host_opt = cmd->add_option("--host", flags->host, "Address to listen on (default 127.0.0.1)");
  flags->workers_opt = cmd->add_option("--workers", flags->workers, "Assessment worker threads (default 1)");
  cmd->add_option("--config", flags->config_file, "JSON settings file (see docs/api.md)");
  cmd->callback([flags] { ExitCode() = RunServe(*flags); });
}

}  // namespace

NOVELTA_REGISTER_COMMAND("serve", AddServeCommand);

}  // namespace novelta::tools
