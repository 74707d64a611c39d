#include "server/metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <sstream>
#include <vector>

namespace fu::server {
namespace {
constexpr double kBounds[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
constexpr double kHttpBounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
constexpr double kStorageBounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
constexpr double kLagBounds[] = {0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300};

template <std::size_t N>
void init(auto& h, const double (&bounds)[N]) {
    if (h.bounds) return;
    h.bounds = bounds;
    h.n = N;
    h.buckets.assign(N + 1, 0);
}

std::string escape_label(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

// Reads /proc for the process metrics Prometheus' client libraries export.
struct ProcessStats {
    double cpu_seconds = 0;
    double start_time = 0;
    double resident_bytes = 0;
    double virtual_bytes = 0;
    double open_fds = 0;
    double max_fds = 0;
};

ProcessStats process_stats() {
    ProcessStats p;
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    std::ifstream stat("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Fields after the command name, which is in parentheses and may hold blanks.
    if (const auto close = text.rfind(')'); close != std::string::npos) {
        std::istringstream in(text.substr(close + 2));
        std::vector<std::string> f{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
        // f[0] is field 3 (state): utime 14, stime 15, starttime 22, vsize 23, rss 24.
        if (f.size() > 21) {
            p.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
            double boot = 0;
            std::ifstream s("/proc/stat");
            for (std::string line; std::getline(s, line);)
                if (line.rfind("btime ", 0) == 0) boot = std::stod(line.substr(6));
            p.start_time = boot + std::stod(f[19]) / ticks;
            p.virtual_bytes = std::stod(f[20]);
            p.resident_bytes = std::stod(f[21]) * page;
        }
    }
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        p.open_fds += 1;
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) p.max_fds = static_cast<double>(rl.rlim_cur);
    return p;
}

void render_histogram(std::ostringstream& out, const std::string& name, const std::string& labels, const double* bounds,
                      std::size_t n, const std::vector<std::uint64_t>& buckets, std::uint64_t count, double sum) {
    std::uint64_t cumulative = 0;
    const std::string sep = labels.empty() ? "" : labels + ",";
    for (std::size_t i = 0; i <= n; ++i) {
        cumulative += buckets[i];
        out << name << "_bucket{" << sep << "le=\"";
        if (i < n)
            out << bounds[i];
        else
            out << "+Inf";
        out << "\"} " << cumulative << "\n";
    }
    const std::string braces = labels.empty() ? "" : "{" + labels + "}";
    out << name << "_sum" << braces << " " << sum << "\n";
    out << name << "_count" << braces << " " << count << "\n";
}
}  // namespace

void Metrics::Histogram::observe(double v) {
    ++count;
    sum += v;
    std::size_t i = 0;
    while (i < n && v > bounds[i]) ++i;
    ++buckets[i];
}

void Metrics::http_request(const std::string& route, unsigned status, double seconds) {
    std::lock_guard lock(mutex_);
    auto& h = http_[{route, status}];
    init(h, kHttpBounds);
    h.observe(seconds);
}

void Metrics::storage_group(std::size_t pieces, double seconds, bool committed) {
    std::lock_guard lock(mutex_);
    init(storage_group_, kStorageBounds);
    storage_group_.observe(seconds);
    storage_pieces_ += pieces;
    if (!committed) ++storage_failed_groups_;
}

void Metrics::scheduler_lag(double seconds) {
    std::lock_guard lock(mutex_);
    init(scheduler_lag_, kLagBounds);
    scheduler_lag_.observe(seconds);
}

void Metrics::retention_pass(const std::map<std::string, std::size_t>& deleted, std::int64_t ended_unix,
                             double seconds) {
    std::lock_guard lock(mutex_);
    for (const auto& [table, n] : deleted) pruned_[table] += n;
    retention_ended_ = ended_unix;
    retention_seconds_ = seconds;
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

void Metrics::outbox(const std::string& platform, std::int64_t pending, std::optional<std::int64_t> oldest_unix) {
    std::lock_guard lock(mutex_);
    outbox_[platform] = Queue{pending, oldest_unix};
}

void Metrics::command(std::string_view name, std::string_view result) {
    std::lock_guard lock(mutex_);
    ++commands_[{std::string(name), std::string(result)}];
}

void Metrics::send_outcome(const std::string& platform, bool accepted, std::int64_t unix_seconds) {
    std::lock_guard lock(mutex_);
    auto& since = failing_since_[platform];
    if (accepted)
        since = 0;
    else if (since == 0)
        since = unix_seconds;
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
    out << "# HELP followupd_outbox_pending Deliveries not yet sent (due, or waiting for a retry), per platform.\n"
           "# TYPE followupd_outbox_pending gauge\n";
    for (const auto& [platform, q] : outbox_)
        out << "followupd_outbox_pending{platform=\"" << platform << "\"} " << q.pending << "\n";
    out << "# HELP followupd_outbox_oldest_age_seconds Age of the oldest delivery not yet sent, per platform; 0 when "
           "none is waiting.\n"
           "# TYPE followupd_outbox_oldest_age_seconds gauge\n";
    const std::int64_t now_unix =
        clock_ ? std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count() : 0;
    for (const auto& [platform, q] : outbox_)
        out << "followupd_outbox_oldest_age_seconds{platform=\"" << platform << "\"} "
            << (q.oldest_unix && clock_ ? std::max<std::int64_t>(0, now_unix - *q.oldest_unix) : 0) << "\n";
    out << "# HELP followupd_commands_total Chat commands run, by command and result (ok, usage, forbidden, "
           "refused, error, too_long).\n"
           "# TYPE followupd_commands_total counter\n";
    for (const auto& [key, n] : commands_)
        out << "followupd_commands_total{command=\"" << key.first << "\",result=\"" << key.second << "\"} " << n
            << "\n";
    out << "# HELP followupd_platform_failing_since_seconds Unix time of the first failed send since the platform "
           "last accepted one; 0 while it is not failing.\n"
           "# TYPE followupd_platform_failing_since_seconds gauge\n";
    for (const auto& [platform, since] : failing_since_)
        out << "followupd_platform_failing_since_seconds{platform=\"" << platform << "\"} " << since << "\n";
    if (calendar_until_ && clock_) {
        // Alert below 60 days (5,184,000 s): working time ignores holidays past
        // the calendar's end. In seconds, Prometheus' base unit, whole days.
        const auto today = std::chrono::floor<std::chrono::days>(clock_->now());
        const auto left = std::max<std::int64_t>(0, (*calendar_until_ - today).count() + 1);
        out << "# HELP followupd_calendar_covered_seconds Time from the start of today to the end of the holiday "
               "calendar (calendar.holidays), in whole days; 0 once it is past.\n"
               "# TYPE followupd_calendar_covered_seconds gauge\nfollowupd_calendar_covered_seconds "
            << left * 86400 << "\n";
    }
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
    out << "# HELP followupd_http_request_duration_seconds HTTP requests by route and status, from read to written.\n"
           "# TYPE followupd_http_request_duration_seconds histogram\n";
    for (const auto& [key, h] : http_)
        render_histogram(out, "followupd_http_request_duration_seconds",
                         "route=\"" + escape_label(key.first) + "\",status=\"" + std::to_string(key.second) + "\"",
                         h.bounds, h.n, h.buckets, h.count, h.sum);
    out << "# HELP followupd_storage_group_duration_seconds Storage transactions (a group of commands committed "
           "together), from begin to commit.\n"
           "# TYPE followupd_storage_group_duration_seconds histogram\n";
    if (storage_group_.bounds)
        render_histogram(out, "followupd_storage_group_duration_seconds", "", storage_group_.bounds, storage_group_.n,
                         storage_group_.buckets, storage_group_.count, storage_group_.sum);
    out << "# HELP followupd_storage_pieces_total Pieces of work (commands, firings, sends) run in storage groups.\n"
           "# TYPE followupd_storage_pieces_total counter\nfollowupd_storage_pieces_total "
        << storage_pieces_ << "\n";
    out << "# HELP followupd_storage_failed_groups_total Storage groups whose commit failed (nothing of them stored).\n"
           "# TYPE followupd_storage_failed_groups_total counter\nfollowupd_storage_failed_groups_total "
        << storage_failed_groups_ << "\n";
    out << "# HELP followupd_scheduler_lag_seconds From a reminder's due time to its message in the outbox.\n"
           "# TYPE followupd_scheduler_lag_seconds histogram\n";
    if (scheduler_lag_.bounds)
        render_histogram(out, "followupd_scheduler_lag_seconds", "", scheduler_lag_.bounds, scheduler_lag_.n,
                         scheduler_lag_.buckets, scheduler_lag_.count, scheduler_lag_.sum);
    out << "# HELP followupd_pruned_rows_total Rows deleted by retention, per table (outbox: messages, their "
           "deliveries and buttons went with them).\n"
           "# TYPE followupd_pruned_rows_total counter\n";
    for (const auto& [table, n] : pruned_)
        out << "followupd_pruned_rows_total{table=\"" << escape_label(table) << "\"} " << n << "\n";
    if (retention_ended_ != 0) {
        out << "# HELP followupd_retention_last_run_timestamp_seconds Unix time the last retention pass ended.\n"
               "# TYPE followupd_retention_last_run_timestamp_seconds gauge\n"
               "followupd_retention_last_run_timestamp_seconds "
            << retention_ended_ << "\n";
        out << "# HELP followupd_retention_last_run_duration_seconds How long the last retention pass took.\n"
               "# TYPE followupd_retention_last_run_duration_seconds gauge\n"
               "followupd_retention_last_run_duration_seconds "
            << retention_seconds_ << "\n";
    }
    out << "# HELP followupd_leader 1 while this instance leads those sharing its database (it runs retention), "
           "else 0.\n# TYPE followupd_leader gauge\nfollowupd_leader "
        << (leader_.load() ? 1 : 0) << "\n";
    out << "# HELP followupd_instances Instances alive on this database, by their heartbeats; each sends at this "
           "share of a platform's rate.\n# TYPE followupd_instances gauge\nfollowupd_instances "
        << instances_.load() << "\n";
    out << "# HELP followupd_build_info The running build.\n# TYPE followupd_build_info gauge\n"
           "followupd_build_info{version=\"" FOLLOWUPD_VERSION "\"} 1\n";
    const auto p = process_stats();
    out << "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
           "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total "
        << p.cpu_seconds << "\n";
    out << "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
           "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes "
        << std::fixed << std::setprecision(0) << p.resident_bytes << "\n";
    out << "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
           "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes "
        << p.virtual_bytes << "\n";
    out << "# HELP process_open_fds Number of open file descriptors.\n"
           "# TYPE process_open_fds gauge\nprocess_open_fds "
        << p.open_fds << "\n";
    out << "# HELP process_max_fds Maximum number of open file descriptors.\n"
           "# TYPE process_max_fds gauge\nprocess_max_fds "
        << p.max_fds << "\n";
    out << "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
           "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds "
        << std::setprecision(2) << p.start_time << "\n";
    return out.str();
}

}  // namespace fu::server
