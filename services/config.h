// ServiceConfig: every setting of `novelta serve`, with its default.
//
// Settings are layered: defaults < config file (JSON object, keys as below)
// < environment (NOVELTA_<KEY IN UPPER CASE>, e.g. NOVELTA_MAX_BODY_BYTES)
// < command-line flags. Unknown keys in the file are errors, so typos do not
// silently fall back to a default.
//
// Thread-safety: a plain value.
#ifndef NOVELTA_SERVICES_CONFIG_H_
#define NOVELTA_SERVICES_CONFIG_H_

#include <cstdint>
#include <functional>
#include <string>

#include "base/env.h"
#include "base/json.h"
#include "novelta/status.h"

namespace novelta {

struct ServiceConfig {
  // Address to listen on. Default: 127.0.0.1 (use 0.0.0.0 in a container).
  std::string host = "127.0.0.1";
  // TCP port. Default: 8080. 0 picks a free port (tests).
  int port = 8080;
  // Index directory built by `novelta index build`. Default: none (required).
  std::string index_dir;
  // Where jobs and API keys are kept: a directory (SQLite; processes sharing
  // it share one queue) or a PostgreSQL URI, postgresql://user@host:5432/db
  // (replicas sharing the database share one queue; libpq's PG* variables,
  // such as PGPASSWORD, fill what the URI leaves out). Any other scheme://
  // is an error. Default: none (required).
  std::string state_dir;
  // How long a running job stays with its replica without a renewal; the
  // replica renews every third of it. A replica that dies loses its jobs to
  // the others within this time (on a shared directory, a process that dies
  // on this machine loses them at once to the next one that starts).
  // Default: 30 s.
  double lease_seconds = 30;
  // PostgreSQL connections each replica keeps open at most. Default: 8.
  int db_connections = 8;

  // The engine that extracts and compares claims: "offline" or "llm"
  // (docs/llm.md). Default: "offline".
  std::string engine = "offline";
  // The LLM engine's server base URL and model. Default: none.
  std::string llm_url;
  std::string llm_model;
  // The key sent to the model server (NOVELTA_LLM_API_KEY); never logged.
  // Default: none.
  std::string llm_api_key;
  // SQLite file of the model's answers ("none": no cache). Default: "": the
  // state directory's llm-cache.db, or on PostgreSQL the user's cache
  // (~/.cache/novelta/llm-cache.db).
  std::string llm_cache;
  // Tokens the service may spend on the model in all (0: no limit); past it
  // the offline engine answers. Default: 0.
  int64_t llm_token_budget = 0;

  // Threads running assessments. Default: 1 (each uses one core).
  int workers = 1;
  // Largest number of queued jobs; past it submissions get 503. Default: 1000.
  int max_queue = 1000;
  // Threads answering HTTP requests (never blocked by assessments). Default: 8.
  int http_threads = 8;
  // Requests waiting for an HTTP thread before new ones get 503. Default: 256.
  int http_queue = 256;
  // Largest request body accepted; larger ones get 413. Default: 16 MiB.
  int64_t max_body_bytes = 16ll << 20;
  // Time allowed to receive a request body, once its header has come. Default: 30 s.
  int body_timeout_seconds = 30;
  // Largest request line and header fields together; past it 431. Default: 16 KiB.
  int max_header_bytes = 16 << 10;
  // Time allowed for a request's header to arrive; past it 408. Default: 10 s.
  int header_timeout_seconds = 10;
  // A kept-alive connection idle this long is closed. Default: 30 s.
  int idle_timeout_seconds = 30;
  // Open connections in all, and from one client address; past them 503 and
  // 429. Behind a proxy every client shares its address. Defaults: 1024, 128.
  int max_connections = 1024;
  int max_connections_per_address = 128;
  // Request bodies held in memory at once over all connections; past it 503.
  // Default: 256 MiB.
  int64_t max_body_bytes_in_flight = 256ll << 20;
  // Upper bound of ?wait=SECONDS. Default: 60.
  int max_wait_seconds = 60;
  // Most submissions in one batch request. Default: 100.
  int max_batch = 100;
  // Largest page of GET /v1/assessments. Default: 200.
  int max_page_size = 200;
  // Per-key token bucket: sustained requests per second and burst. Defaults: 20 and 100.
  double rate_limit_per_second = 20;
  int rate_limit_burst = 100;
  // Failed authentications allowed per client address: sustained per second
  // and burst. Past them the address gets 429 for any key, before the key is
  // checked, so keys cannot be guessed fast. Behind a proxy every client
  // shares its address. Defaults: 1 and 20.
  double auth_failures_per_second = 1;
  int auth_failure_burst = 20;
  // How long a verified API key is remembered; a key revoked with `novelta
  // keys revoke` while the service runs stops working within this time (0:
  // at once, at the cost of a database read per request). Default: 10 s.
  double key_cache_seconds = 10;
  // When false, no API key is needed (local use only). Default: true.
  bool require_api_keys = true;
  // An admin key registered at start under the name "bootstrap" (for
  // containers); never logged. Default: none.
  std::string bootstrap_api_key;
  // On shutdown, how long running jobs may take to finish before they are
  // put back in the queue for the next start. Default: 30 s.
  int shutdown_grace_seconds = 30;
  // Threads reading PDF uploads, apart from the HTTP threads, so a slow or
  // hostile PDF holds one of them, never a request thread. Default: 2.
  int pdf_threads = 2;
  // PDF uploads waiting for a PDF thread (at least 1) before new ones get
  // 503. Default: 8.
  int pdf_queue = 8;
  // Longest time reading one PDF upload; past it the upload is refused
  // (400). Default: 20 s.
  double pdf_seconds = 20;
  // The program that reads PDF uploads in a child process (run as
  // "PROGRAM pdf-text ..."), killed past pdf_seconds or pdf_memory_bytes, so
  // a PDF bomb or a reader crash costs one child. "" is resolved by `novelta
  // serve` to its own binary; "none" reads PDFs in the server's process (with
  // the time limit checked between pages only). Default: "".
  std::string pdf_reader;
  // Address space of the PDF reader's child. Default: 2 GiB.
  int64_t pdf_memory_bytes = 2ll << 30;
  // Prior works retrieved per query (AssessParams::top_k). Default: 20.
  int top_k = 20;
  // Log level: trace, debug, info, warn, error. Default: info.
  std::string log_level = "info";

  // Checks ranges; errors name the setting.
  Status Validate() const;
  // The settings as JSON, secrets replaced by "<redacted>" (for the start-up log).
  Json ToRedactedJson() const;
};

// Applies the keys of a JSON object; `what` names it in errors.
Status ApplyConfigJson(const Json& j, std::string_view what, ServiceConfig* config);
// Reads and applies a JSON config file.
Status ApplyConfigFile(const std::string& path, ServiceConfig* config, Env* env = Env::Default());
// Applies NOVELTA_* variables; `getenv` is injectable for tests.
Status ApplyConfigEnv(ServiceConfig* config,
                      const std::function<const char*(const char*)>& getenv_fn = nullptr);

}  // namespace novelta

#endif  // NOVELTA_SERVICES_CONFIG_H_
