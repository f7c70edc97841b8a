#include "services/metrics.h"

#include <prometheus/text_serializer.h>

namespace novelta {
namespace {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries b = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                           0.25,  0.5,    1,     2.5,  5,     10,   30, 60};
  return b;
}

}  // namespace

ServiceMetrics::ServiceMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("novelta_http_requests_total")
                    .Help("HTTP requests by route template, method and status code")
                    .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("novelta_http_request_duration_seconds")
                   .Help("Time to answer an HTTP request, by route template")
                   .Register(*registry_)),
      stages_(prometheus::BuildHistogram()
                  .Name("novelta_stage_duration_seconds")
                  .Help("Duration of each pipeline stage of finished assessments")
                  .Register(*registry_)),
      outcomes_(prometheus::BuildCounter()
                    .Name("novelta_jobs_finished_total")
                    .Help("Assessment jobs finished by this process, by outcome")
                    .Register(*registry_)),
      queue_depth_(prometheus::BuildGauge()
                       .Name("novelta_queue_depth")
                       .Help("Assessment jobs waiting for a worker")
                       .Register(*registry_)
                       .Add({})),
      jobs_(prometheus::BuildGauge()
                .Name("novelta_jobs")
                .Help("Assessment jobs in the store, by status")
                .Register(*registry_)),
      index_papers_(prometheus::BuildGauge()
                        .Name("novelta_index_papers")
                        .Help("Papers in the loaded prior-work index")
                        .Register(*registry_)
                        .Add({})) {}

void ServiceMetrics::ObserveRequest(const std::string& method, const std::string& route, int status,
                                    double seconds) {
  requests_.Add({{"route", route}, {"method", method}, {"code", std::to_string(status)}}).Increment();
  latency_.Add({{"route", route}}, LatencyBuckets()).Observe(seconds);
}

void ServiceMetrics::ObserveStages(const std::map<std::string, double>& timing_ms) {
  for (const auto& [stage, ms] : timing_ms) {
    stages_.Add({{"stage", stage}}, LatencyBuckets()).Observe(ms / 1000.0);
  }
}

void ServiceMetrics::ObserveJobOutcome(bool ok) {
  outcomes_.Add({{"outcome", ok ? "done" : "failed"}}).Increment();
}

void ServiceMetrics::SetQueueDepth(int64_t depth) { queue_depth_.Set(static_cast<double>(depth)); }

void ServiceMetrics::SetJobsByStatus(const std::map<std::string, int64_t>& counts) {
  for (const auto& [status, n] : counts) jobs_.Add({{"status", status}}).Set(static_cast<double>(n));
}

void ServiceMetrics::SetIndexPapers(int64_t n) { index_papers_.Set(static_cast<double>(n)); }

std::string ServiceMetrics::Render() const {
  prometheus::TextSerializer serializer;
  return serializer.Serialize(registry_->Collect());
}

}  // namespace novelta
