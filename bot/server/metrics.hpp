#pragma once
// Counters for GET /metrics (Prometheus text format). Lock-free on the hot
// paths; labelled series live in small mutex-guarded maps.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"

namespace fu::server {

class Metrics {
public:
    void webhook(const std::string& platform, unsigned status);
    void sent(const std::string& platform, double seconds);  // a delivery the platform accepted
    void retried(const std::string& platform);
    void failed(const std::string& platform);
    void late(const std::string& platform);  // undelivered past the report threshold
    void reminders_fired(std::uint64_t n) { reminders_fired_ += n; }
    // A platform's queue of pending deliveries (OutboxStore::pending_deliveries):
    // its length, and when its oldest was created (the age is taken at render).
    void outbox(const std::string& platform, std::int64_t pending, std::optional<std::int64_t> oldest_unix);
    // A chat command run, by its name ("done"; "unknown" for a word that is no
    // command) and result: ok, usage (its arguments were wrong), forbidden (the
    // role may not), refused (the use case said no), error.
    void command(std::string_view name, std::string_view result);
    // The time the outbox ages are taken against.
    void set_clock(const Clock& clock) { clock_ = &clock; }
    // Each send's outcome, for health: a platform is failing from its first
    // failed or retried send after the last one it accepted.
    void send_outcome(const std::string& platform, bool accepted, std::int64_t unix_seconds);
    // Since when each failing platform has been failing (Unix seconds); the
    // platforms that are not failing are absent.
    std::map<std::string, std::int64_t> failing_since() const;

    // An HTTP request answered, by route (logging.hpp route_of) and status.
    void http_request(const std::string& route, unsigned status, double seconds);
    // One group of the storage executor committed (or failed): its pieces and time.
    void storage_group(std::size_t pieces, double seconds, bool committed);
    // A due reminder reached the outbox this long after its due time.
    void scheduler_lag(double seconds);
    // A retention pass ended (server/retention.hpp): rows it deleted per
    // table, when it ended (Unix seconds) and how long it took.
    void retention_pass(const std::map<std::string, std::size_t>& deleted, std::int64_t ended_unix, double seconds);
    // The holiday calendar's last covered day (HolidayCalendar::covered_until),
    // counted down from `clock`'s today; nullopt: no holidays configured, no gauge.
    void calendar_covered_until(std::optional<std::chrono::sys_days> day, const Clock& clock) {
        calendar_until_ = day;
        clock_ = &clock;
    }

    // Several instances on one database (server/leadership.hpp): whether
    // this one leads, and how many are alive.
    void leadership(bool leader, std::size_t instances) {
        leader_ = leader;
        instances_ = instances;
    }

    std::string render() const;

private:
    struct Histogram {
        const double* bounds = nullptr;  // ascending; +Inf implied
        std::size_t n = 0;
        std::uint64_t count = 0;
        double sum = 0;
        std::vector<std::uint64_t> buckets;  // n + 1
        void observe(double v);
    };
    struct Latency {
        std::uint64_t count = 0;
        double sum = 0;
        std::uint64_t buckets[8] = {};  // le 0.05 0.1 0.25 0.5 1 2.5 5 +Inf
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> webhooks_;
    std::map<std::string, std::uint64_t> sent_, retried_, failed_, late_;
    struct Queue {
        std::int64_t pending = 0;
        std::optional<std::int64_t> oldest_unix;
    };
    std::map<std::string, Queue> outbox_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> commands_;
    std::map<std::string, std::int64_t> failing_since_;  // 0: not failing
    std::map<std::string, Latency> latency_;
    std::atomic<std::uint64_t> reminders_fired_{0};
    std::map<std::pair<std::string, unsigned>, Histogram> http_;
    Histogram storage_group_, scheduler_lag_;
    std::uint64_t storage_pieces_ = 0, storage_failed_groups_ = 0;
    std::map<std::string, std::uint64_t> pruned_;  // by table
    std::int64_t retention_ended_ = 0;             // 0: no pass yet
    double retention_seconds_ = 0;
    std::optional<std::chrono::sys_days> calendar_until_;  // set once at start-up
    const Clock* clock_ = nullptr;
    std::atomic<bool> leader_{false};
    std::atomic<std::size_t> instances_{1};
};

}  // namespace fu::server
