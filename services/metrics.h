// Prometheus metrics of the service, kept in a prometheus-cpp registry and
// rendered with its text serializer for GET /metrics.
//
// Thread-safety: all methods may be called concurrently.
#ifndef NOVELTA_SERVICES_METRICS_H_
#define NOVELTA_SERVICES_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <string>

namespace novelta {

class ServiceMetrics {
 public:
  ServiceMetrics();

  // One finished HTTP request: `route` is the route template ("/v1/assessments/{id}").
  void ObserveRequest(const std::string& method, const std::string& route, int status, double seconds);
  // Stage durations of a finished assessment (report.timing_ms).
  void ObserveStages(const std::map<std::string, double>& timing_ms);
  void ObserveJobOutcome(bool ok);
  void SetQueueDepth(int64_t depth);
  void SetJobsByStatus(const std::map<std::string, int64_t>& counts);
  void SetIndexPapers(int64_t n);

  // The Prometheus text exposition format.
  std::string Render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Histogram>& stages_;
  prometheus::Family<prometheus::Counter>& outcomes_;
  prometheus::Gauge& queue_depth_;
  prometheus::Family<prometheus::Gauge>& jobs_;
  prometheus::Gauge& index_papers_;
};

}  // namespace novelta

#endif  // NOVELTA_SERVICES_METRICS_H_
