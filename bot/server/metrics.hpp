#pragma once
// Counters for GET /metrics (Prometheus text format). Lock-free on the hot
// paths; labelled series live in small mutex-guarded maps.
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace fu::server {

class Metrics {
public:
    void webhook(const std::string& platform, unsigned status);
    void sent(const std::string& platform, double seconds);  // a delivery the platform accepted
    void retried(const std::string& platform);
    void failed(const std::string& platform);
    void late(const std::string& platform);  // undelivered past the report threshold
    void reminders_fired(std::uint64_t n) { reminders_fired_ += n; }
    void queue_depth(const std::string& platform, std::int64_t depth);
    // Each send's outcome, for health: a platform is failing from its first
    // failed or retried send after the last one it accepted.
    void send_outcome(const std::string& platform, bool accepted, std::int64_t unix_seconds);
    // Since when each failing platform has been failing (Unix seconds); the
    // platforms that are not failing are absent.
    std::map<std::string, std::int64_t> failing_since() const;

    std::string render() const;

private:
    struct Latency {
        std::uint64_t count = 0;
        double sum = 0;
        std::uint64_t buckets[8] = {};  // le 0.05 0.1 0.25 0.5 1 2.5 5 +Inf
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> webhooks_;
    std::map<std::string, std::uint64_t> sent_, retried_, failed_, late_;
    std::map<std::string, std::int64_t> depth_;
    std::map<std::string, std::int64_t> failing_since_;  // 0: not failing
    std::map<std::string, Latency> latency_;
    std::atomic<std::uint64_t> reminders_fired_{0};
};

}  // namespace fu::server
