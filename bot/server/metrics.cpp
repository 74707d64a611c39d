#include "server/metrics.hpp"

#include <sstream>

namespace fu::server {
namespace {
constexpr double kBounds[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
}

void Metrics::webhook(const std::string& platform, unsigned status) {
    std::lock_guard lock(mutex_);
    ++webhooks_[{platform, status}];
}

void Metrics::sent(const std::string& platform, double seconds) {
    std::lock_guard lock(mutex_);
    ++sent_[platform];
    auto& l = latency_[platform];
    ++l.count;
    l.sum += seconds;
    std::size_t i = 0;
    while (i < 7 && seconds > kBounds[i]) ++i;
    ++l.buckets[i];
}

void Metrics::retried(const std::string& platform) {
    std::lock_guard lock(mutex_);
    ++retried_[platform];
}

void Metrics::failed(const std::string& platform) {
    std::lock_guard lock(mutex_);
    ++failed_[platform];
}

void Metrics::late(const std::string& platform) {
    std::lock_guard lock(mutex_);
    ++late_[platform];
}

void Metrics::queue_depth(const std::string& platform, std::int64_t depth) {
    std::lock_guard lock(mutex_);
    depth_[platform] = depth;
}

void Metrics::send_outcome(const std::string& platform, bool accepted, std::int64_t unix_seconds) {
    std::lock_guard lock(mutex_);
    auto& since = failing_since_[platform];
    if (accepted) since = 0;
    else if (since == 0) since = unix_seconds;
}

std::map<std::string, std::int64_t> Metrics::failing_since() const {
    std::lock_guard lock(mutex_);
    std::map<std::string, std::int64_t> out;
    for (const auto& [platform, since] : failing_since_)
        if (since != 0) out[platform] = since;
    return out;
}

std::string Metrics::render() const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    out << "# HELP followupd_webhooks_total Webhook requests by platform and HTTP status.\n"
           "# TYPE followupd_webhooks_total counter\n";
    for (const auto& [key, n] : webhooks_)
        out << "followupd_webhooks_total{platform=\"" << key.first << "\",status=\"" << key.second << "\"} " << n
            << "\n";
    auto counter = [&](const char* name, const char* help, const std::map<std::string, std::uint64_t>& m) {
        out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n";
        for (const auto& [platform, n] : m) out << name << "{platform=\"" << platform << "\"} " << n << "\n";
    };
    counter("followupd_messages_sent_total", "Messages (reminders and replies) a platform accepted.", sent_);
    counter("followupd_messages_retried_total", "Send attempts that will be retried (429, 5xx, timeouts).", retried_);
    counter("followupd_messages_failed_total", "Messages a platform refused for good.", failed_);
    counter("followupd_messages_late_total", "Messages still undelivered past the report threshold.", late_);
    out << "# HELP followupd_reminders_fired_total Reminder messages put in outboxes.\n"
           "# TYPE followupd_reminders_fired_total counter\nfollowupd_reminders_fired_total "
        << reminders_fired_.load() << "\n";
    out << "# HELP followupd_delivery_queue_depth Pending deliveries due now, per platform.\n"
           "# TYPE followupd_delivery_queue_depth gauge\n";
    for (const auto& [platform, d] : depth_) out << "followupd_delivery_queue_depth{platform=\"" << platform << "\"} " << d << "\n";
    out << "# HELP followupd_platform_failing_since_seconds Unix time of the first failed send since the platform "
           "last accepted one; 0 while it is not failing.\n"
           "# TYPE followupd_platform_failing_since_seconds gauge\n";
    for (const auto& [platform, since] : failing_since_)
        out << "followupd_platform_failing_since_seconds{platform=\"" << platform << "\"} " << since << "\n";
    out << "# HELP followupd_send_seconds Time for one send call to a platform.\n"
           "# TYPE followupd_send_seconds histogram\n";
    for (const auto& [platform, l] : latency_) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < 8; ++i) {
            cumulative += l.buckets[i];
            out << "followupd_send_seconds_bucket{platform=\"" << platform << "\",le=\"";
            if (i < 7)
                out << kBounds[i];
            else
                out << "+Inf";
            out << "\"} " << cumulative << "\n";
        }
        out << "followupd_send_seconds_sum{platform=\"" << platform << "\"} " << l.sum << "\n";
        out << "followupd_send_seconds_count{platform=\"" << platform << "\"} " << l.count << "\n";
    }
    return out.str();
}

}  // namespace fu::server
