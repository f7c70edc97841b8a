#include "services/config.h"

#include <cerrno>
#include <cstdlib>
#include <variant>
#include <vector>

#include "base/text.h"
#include "services/state/state_location.h"

namespace novelta {
namespace {

struct Field {
  const char* name;
  std::variant<std::string*, int*, int64_t*, double*, bool*> target;
  bool secret = false;
};

std::vector<Field> Fields(ServiceConfig* c) {
  return {
      {"host", &c->host},
      {"port", &c->port},
      {"index_dir", &c->index_dir},
      {"state_dir", &c->state_dir},
      {"lease_seconds", &c->lease_seconds},
      {"db_connections", &c->db_connections},
      {"engine", &c->engine},
      {"llm_url", &c->llm_url},
      {"llm_model", &c->llm_model},
      {"llm_api_key", &c->llm_api_key, true},
      {"llm_cache", &c->llm_cache},
      {"llm_token_budget", &c->llm_token_budget},
      {"workers", &c->workers},
      {"max_queue", &c->max_queue},
      {"http_threads", &c->http_threads},
      {"http_queue", &c->http_queue},
      {"max_body_bytes", &c->max_body_bytes},
      {"body_timeout_seconds", &c->body_timeout_seconds},
      {"max_header_bytes", &c->max_header_bytes},
      {"header_timeout_seconds", &c->header_timeout_seconds},
      {"idle_timeout_seconds", &c->idle_timeout_seconds},
      {"max_connections", &c->max_connections},
      {"max_connections_per_address", &c->max_connections_per_address},
      {"max_body_bytes_in_flight", &c->max_body_bytes_in_flight},
      {"max_wait_seconds", &c->max_wait_seconds},
      {"max_batch", &c->max_batch},
      {"max_page_size", &c->max_page_size},
      {"rate_limit_per_second", &c->rate_limit_per_second},
      {"rate_limit_burst", &c->rate_limit_burst},
      {"auth_failures_per_second", &c->auth_failures_per_second},
      {"auth_failure_burst", &c->auth_failure_burst},
      {"key_cache_seconds", &c->key_cache_seconds},
      {"require_api_keys", &c->require_api_keys},
      {"bootstrap_api_key", &c->bootstrap_api_key, true},
      {"shutdown_grace_seconds", &c->shutdown_grace_seconds},
      {"pdf_threads", &c->pdf_threads},
      {"pdf_queue", &c->pdf_queue},
      {"pdf_seconds", &c->pdf_seconds},
      {"pdf_reader", &c->pdf_reader},
      {"pdf_memory_bytes", &c->pdf_memory_bytes},
      {"top_k", &c->top_k},
      {"log_level", &c->log_level},
  };
}

Status SetFromJson(const Field& f, const Json& v, std::string_view what) {
  auto bad = [&](const char* type) {
    return Status::InvalidArgument(std::string(what) + ": setting '" + f.name + "' must be " + type);
  };
  return std::visit(
      [&](auto* p) -> Status {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (!v.is_string()) return bad("a string");
          *p = v.get<std::string>();
        } else if constexpr (std::is_same_v<T, bool>) {
          if (!v.is_boolean()) return bad("true or false");
          *p = v.get<bool>();
        } else if constexpr (std::is_same_v<T, double>) {
          if (!v.is_number()) return bad("a number");
          *p = v.get<double>();
        } else {
          if (!v.is_number_integer()) return bad("an integer");
          int64_t x = v.get<int64_t>();
          if (x < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
              x > static_cast<int64_t>(std::numeric_limits<T>::max())) {
            return bad("an integer in range");
          }
          *p = static_cast<T>(x);
        }
        return Status::OK();
      },
      f.target);
}

Status SetFromText(const Field& f, const std::string& text, std::string_view what) {
  auto bad = [&](const char* type) {
    return Status::InvalidArgument(std::string(what) + " must be " + type + ", got '" +
                                   (f.secret ? "<redacted>" : text) + "'");
  };
  return std::visit(
      [&](auto* p) -> Status {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          *p = text;
        } else if constexpr (std::is_same_v<T, bool>) {
          std::string l = ToLowerAscii(Trim(text));
          if (l == "1" || l == "true" || l == "yes") *p = true;
          else if (l == "0" || l == "false" || l == "no") *p = false;
          else return bad("true or false");
        } else if constexpr (std::is_same_v<T, double>) {
          char* end = nullptr;
          errno = 0;
          double x = std::strtod(text.c_str(), &end);
          if (text.empty() || *end != '\0' || errno != 0) return bad("a number");
          *p = x;
        } else {
          char* end = nullptr;
          errno = 0;
          long long x = std::strtoll(text.c_str(), &end, 10);
          if (text.empty() || *end != '\0' || errno != 0 ||
              x < static_cast<long long>(std::numeric_limits<T>::min()) ||
              x > static_cast<long long>(std::numeric_limits<T>::max())) {
            return bad("an integer");
          }
          *p = static_cast<T>(x);
        }
        return Status::OK();
      },
      f.target);
}

}  // namespace

Status ServiceConfig::Validate() const {
  auto need = [](bool ok, const char* msg) {
    return ok ? Status::OK() : Status::InvalidArgument(std::string("config: ") + msg);
  };
  NOVELTA_RETURN_IF_ERROR(need(!host.empty(), "host must not be empty"));
  NOVELTA_RETURN_IF_ERROR(need(port >= 0 && port <= 65535, "port must be in 0..65535"));
  NOVELTA_RETURN_IF_ERROR(need(!state_dir.empty(), "state_dir is required"));
  NOVELTA_RETURN_IF_ERROR(ParseStateLocation(state_dir).status());
  NOVELTA_RETURN_IF_ERROR(need(lease_seconds >= 1 && lease_seconds <= 3600, "lease_seconds must be in 1..3600"));
  NOVELTA_RETURN_IF_ERROR(need(engine == "offline" || engine == "llm", "engine must be offline or llm"));
  NOVELTA_RETURN_IF_ERROR(need(engine != "llm" || (!llm_url.empty() && !llm_model.empty()),
                               "engine llm needs llm_url and llm_model"));
  NOVELTA_RETURN_IF_ERROR(need(llm_token_budget >= 0, "llm_token_budget must be >= 0"));
  NOVELTA_RETURN_IF_ERROR(need(db_connections >= 1 && db_connections <= 256, "db_connections must be in 1..256"));
  NOVELTA_RETURN_IF_ERROR(need(workers >= 1 && workers <= 256, "workers must be in 1..256"));
  NOVELTA_RETURN_IF_ERROR(need(max_queue >= 1, "max_queue must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(http_threads >= 1 && http_threads <= 1024, "http_threads must be in 1..1024"));
  NOVELTA_RETURN_IF_ERROR(need(http_queue >= 1, "http_queue must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(max_body_bytes >= 1024, "max_body_bytes must be at least 1024"));
  NOVELTA_RETURN_IF_ERROR(need(body_timeout_seconds >= 1, "body_timeout_seconds must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(max_header_bytes >= 1024 && max_header_bytes <= (1 << 20),
                               "max_header_bytes must be in 1024..1048576"));
  NOVELTA_RETURN_IF_ERROR(need(header_timeout_seconds >= 1, "header_timeout_seconds must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(idle_timeout_seconds >= 1, "idle_timeout_seconds must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(max_connections >= 1, "max_connections must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(max_connections_per_address >= 1, "max_connections_per_address must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(pdf_memory_bytes >= (64ll << 20), "pdf_memory_bytes must be at least 64 MiB"));
  NOVELTA_RETURN_IF_ERROR(need(key_cache_seconds >= 0 && key_cache_seconds <= 3600,
                               "key_cache_seconds must be in 0..3600"));
  NOVELTA_RETURN_IF_ERROR(need(max_body_bytes_in_flight >= max_body_bytes,
                               "max_body_bytes_in_flight must be at least max_body_bytes"));
  NOVELTA_RETURN_IF_ERROR(need(max_wait_seconds >= 0 && max_wait_seconds <= 600,
                               "max_wait_seconds must be in 0..600"));
  NOVELTA_RETURN_IF_ERROR(need(max_batch >= 1, "max_batch must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(max_page_size >= 1, "max_page_size must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(rate_limit_per_second > 0, "rate_limit_per_second must be positive"));
  NOVELTA_RETURN_IF_ERROR(need(rate_limit_burst >= 1, "rate_limit_burst must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(auth_failures_per_second > 0, "auth_failures_per_second must be positive"));
  NOVELTA_RETURN_IF_ERROR(need(auth_failure_burst >= 1, "auth_failure_burst must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(bootstrap_api_key.empty() || bootstrap_api_key.size() >= 16,
                               "bootstrap_api_key must be at least 16 characters"));
  NOVELTA_RETURN_IF_ERROR(need(shutdown_grace_seconds >= 0, "shutdown_grace_seconds must be >= 0"));
  NOVELTA_RETURN_IF_ERROR(need(pdf_threads >= 1 && pdf_threads <= 64, "pdf_threads must be in 1..64"));
  NOVELTA_RETURN_IF_ERROR(need(pdf_queue >= 1, "pdf_queue must be at least 1"));
  NOVELTA_RETURN_IF_ERROR(need(pdf_seconds > 0 && pdf_seconds <= 3600, "pdf_seconds must be in (0, 3600]"));
  NOVELTA_RETURN_IF_ERROR(need(top_k >= 1 && top_k <= 1000, "top_k must be in 1..1000"));
  return Status::OK();
}

Json ServiceConfig::ToRedactedJson() const {
  Json j = Json::object();
  ServiceConfig copy = *this;
  for (const auto& f : Fields(&copy)) {
    std::visit(
        [&](auto* p) {
          using T = std::remove_pointer_t<decltype(p)>;
          if constexpr (std::is_same_v<T, std::string>) {
            j[f.name] = (f.secret && !p->empty()) ? std::string("<redacted>") : *p;
          } else {
            j[f.name] = *p;
          }
        },
        f.target);
  }
  return j;
}

Status ApplyConfigJson(const Json& j, std::string_view what, ServiceConfig* config) {
  if (!j.is_object()) return Status::InvalidArgument(std::string(what) + ": must be a JSON object");
  auto fields = Fields(config);
  for (auto it = j.begin(); it != j.end(); ++it) {
    const Field* field = nullptr;
    for (const auto& f : fields) {
      if (it.key() == f.name) field = &f;
    }
    if (!field) return Status::InvalidArgument(std::string(what) + ": unknown setting '" + it.key() + "'");
    NOVELTA_RETURN_IF_ERROR(SetFromJson(*field, it.value(), what));
  }
  return Status::OK();
}

Status ApplyConfigFile(const std::string& path, ServiceConfig* config, Env* env) {
  std::string text;
  NOVELTA_RETURN_IF_ERROR(env->ReadFile(path, &text, 1 << 20));
  NOVELTA_ASSIGN_OR_RETURN(Json j, ParseJson(text, path));
  return ApplyConfigJson(j, path, config);
}

Status ApplyConfigEnv(ServiceConfig* config, const std::function<const char*(const char*)>& getenv_fn) {
  auto get = getenv_fn ? getenv_fn : [](const char* n) -> const char* { return std::getenv(n); };
  for (const auto& f : Fields(config)) {
    std::string var = "NOVELTA_";
    for (const char* c = f.name; *c; ++c) var += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
    const char* value = get(var.c_str());
    if (!value) continue;
    NOVELTA_RETURN_IF_ERROR(SetFromText(f, value, "environment variable " + var));
  }
  return Status::OK();
}

}  // namespace novelta
