// dashboard_bench: the managers' dashboard's data (GET /api/dashboard) over the
// report bench's year of history (bench/report_data.hpp: 10,100 users, 1M
// follow-ups, 5M interactions at full scale).
//
// Times server::dashboard::figures, what one request runs on the storage
// thread (the period's report, the status now, 12 weeks of timeliness, and the
// JSON), for a manager of 100 reps (m1) and for the admin (every team), this
// week and last month; prints the median, p99 and max per request.
//
//   dashboard_bench [--db PATH] [--runs N] [--scale F] [--rebuild] [--cache-mib N]
//
// --scale 0.01 builds a file of 1 team and 10,000 follow-ups in seconds, to
// check the bench runs; the figures in docs/BENCHMARKS.md are at full scale.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "core/bot.hpp"
#include "report_data.hpp"
#include "server/dashboard.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using namespace fu;

struct Timing {
    std::string what;
    double median_ms = 0, p99_ms = 0, max_ms = 0;
    std::string note;
};

Timing time_it(const std::string& what, int runs, const std::function<std::string()>& fn) {
    fn();  // warm-up: statements prepared, pages in the cache
    std::vector<double> ms;
    std::string note;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        note = fn();
        ms.push_back(bench::seconds_since(t0) * 1000);
    }
    std::sort(ms.begin(), ms.end());
    // p99: the smallest time at least 99% of the runs took no longer than.
    const auto p99 = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(ms.size()))) - 1;
    return Timing{what, ms[ms.size() / 2], ms[std::min(p99, ms.size() - 1)], ms.back(), note};
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = "report_bench.db";
    int runs = 100;
    double scale = 1.0;
    bool rebuild = false;
    int cache_mib = 0;  // 0: the default (storage.cache_mib)
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--db" && i + 1 < argc)
            path = argv[++i];
        else if (a == "--runs" && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (a == "--scale" && i + 1 < argc)
            scale = std::clamp(std::atof(argv[++i]), 0.0001, 1.0);
        else if (a == "--rebuild")
            rebuild = true;
        else if (a == "--cache-mib" && i + 1 < argc)
            cache_mib = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr,
                         "usage: dashboard_bench [--db PATH] [--runs N] [--scale F] [--rebuild] [--cache-mib N]\n");
            return 2;
        }
    }
    const auto size = scale < 1.0 ? bench::Scale::of(scale) : bench::Scale{};
    if (rebuild || !bench::complete(path, size)) {
        std::printf("building %s (%d teams, %lld follow-ups, %lld interactions) ...\n", path.c_str(), size.teams,
                    static_cast<long long>(size.tasks), static_cast<long long>(size.interactions));
        const auto t0 = std::chrono::steady_clock::now();
        bench::build(path, size);
        std::printf("built in %.1f s\n", bench::seconds_since(t0));
    } else {
        std::printf("reusing %s\n", path.c_str());
    }

    auto store = storage::SqliteStore::open(path);
    if (cache_mib > 0) store->set_cache_mib(cache_mib);
    const TimePoint now = from_unix(bench::kNow);
    const BotOptions options;
    std::optional<User> manager, admin;
    store->transact([&](Repo& r) {
        manager = r.user_by_handle("m1");
        admin = r.user_by_handle("admin");
    });
    if (!manager || !admin) {
        std::fprintf(stderr, "%s has no m1 or admin: --rebuild\n", path.c_str());
        return 1;
    }

    std::vector<Timing> rows;
    for (const auto& [label, who] : {std::pair{"m1 (100 reps)", &*manager}, std::pair{"admin (every team)", &*admin}}) {
        for (const char* period : {"week", "last_month"}) {
            server::dashboard::Query q;
            q.period = period;
            rows.push_back(time_it(std::string(label) + ", " + period, runs, [&, who = who, q] {
                server::dashboard::Answer a;
                store->transact([&](Repo& r) { a = server::dashboard::figures(r, options, *who, q, now); });
                if (a.status != 200) {
                    std::fprintf(stderr, "refused: %u %s\n", a.status, a.reason.c_str());
                    std::exit(1);
                }
                return std::to_string(a.body.size()) + " bytes of JSON";
            }));
        }
    }

    std::printf("\n%-32s %10s %10s %10s  %s\n", "GET /api/dashboard as", "median ms", "p99 ms", "max ms", "result");
    for (const auto& r : rows)
        std::printf("%-32s %10.1f %10.1f %10.1f  %s\n", r.what.c_str(), r.median_ms, r.p99_ms, r.max_ms,
                    r.note.c_str());
    return 0;
}
