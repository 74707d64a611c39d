// report_bench: managers' figures over a large history.
//
// Builds (or reuses, if complete) a SQLite file of 100 teams x (100 reps + a
// manager), 200,000 customers, 1,000,000 follow-ups and 5,000,000 interactions
// over the year before "now" (Wed 2026-11-25 15:00 Asia/Shanghai), plus pool
// movements and snoozes; then times reports::team_status and
// reports::report(week) for one manager's team and for every team, and the
// chat commands `team` and `report week` as a manager and as the admin.
//
//   report_bench [--db PATH] [--runs N] [--rebuild] [--cache-mib N]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/bot.hpp"
#include "core/reports.hpp"
#include "report_data.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using namespace fu;
using bench::build;
using bench::complete;
using bench::kNow;
using bench::seconds_since;

struct Timing {
    std::string what;
    double median_ms = 0, max_ms = 0;
    std::string note;
};

Timing time_it(const std::string& what, int runs, const std::function<std::string()>& fn) {
    fn();  // warm-up: statements prepared, pages in the cache
    std::vector<double> ms;
    std::string note;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        note = fn();
        ms.push_back(seconds_since(t0) * 1000);
    }
    std::sort(ms.begin(), ms.end());
    return Timing{what, ms[ms.size() / 2], ms.back(), note};
}

}  // namespace

int main(int argc, char** argv) {
    std::string path = "report_bench.db";
    int runs = 9;
    bool rebuild = false;
    int cache_mib = 0;  // 0: the default (storage.cache_mib)
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--db" && i + 1 < argc)
            path = argv[++i];
        else if (a == "--runs" && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (a == "--rebuild")
            rebuild = true;
        else if (a == "--cache-mib" && i + 1 < argc)
            cache_mib = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: report_bench [--db PATH] [--runs N] [--rebuild] [--cache-mib N]\n");
            return 2;
        }
    }
    if (rebuild || !complete(path)) {
        std::printf("building %s ...\n", path.c_str());
        const auto t0 = std::chrono::steady_clock::now();
        build(path);
        std::printf("built in %.1f s\n", seconds_since(t0));
    } else {
        std::printf("reusing %s\n", path.c_str());
    }

    auto store = storage::SqliteStore::open(path);
    if (cache_mib > 0) store->set_cache_mib(cache_mib);
    const TimePoint now = from_unix(kNow);
    FakeClock clock(now);
    const BotOptions options;
    Bot bot(*store, clock, options);
    const auto* zone = date::locate_zone("Asia/Shanghai");
    const reports::Scope team{TeamId{1}}, all{};

    std::vector<Timing> rows;
    for (const auto& [label, scope] : {std::pair{"team of 100", team}, std::pair{"all 100 teams", all}}) {
        rows.push_back(time_it(std::string("team_status, ") + label, runs, [&, scope = scope] {
            reports::TeamStatus s;
            store->transact([&](Repo& r) { s = reports::team_status(r, scope, zone, now); });
            return std::to_string(s.reps.size()) + " rows, open " + std::to_string(s.total.open) + ", overdue " +
                   std::to_string(s.total.overdue) + ", done this week " + std::to_string(s.total.done_week) +
                   ", snoozes " + std::to_string(s.total.snoozes_week);
        }));
        rows.push_back(time_it(std::string("report(week), ") + label, runs, [&, scope = scope] {
            reports::Report rep;
            store->transact([&](Repo& r) {
                rep = reports::report(r, options, scope, reports::period_of(reports::PeriodKind::week, zone, now), now);
            });
            int interactions = 0;
            for (const auto& [code, n] : rep.outcomes)
                if (code == "reached") interactions = n;
            return "due " + std::to_string(rep.total.due) + ", on time " + std::to_string(rep.total.on_time) +
                   ", late " + std::to_string(rep.total.late) + ", reached " + std::to_string(interactions) +
                   ", contacted A " + std::to_string(rep.by_tier.empty() ? 0 : rep.by_tier[0].contacted);
        }));
        rows.push_back(time_it(std::string("report(last_month), ") + label, runs, [&, scope = scope] {
            reports::Report rep;
            store->transact([&](Repo& r) {
                rep = reports::report(r, options, scope, reports::period_of(reports::PeriodKind::last_month, zone, now),
                                      now);
            });
            return "due " + std::to_string(rep.total.due);
        }));
    }
    for (const auto& [who, text] : {std::pair{"m1", "team"}, std::pair{"m1", "report week"}, std::pair{"admin", "team"},
                                    std::pair{"admin", "report week"}}) {
        rows.push_back(
            time_it("Bot::handle(" + std::string(who) + ", \"" + text + "\")", runs, [&, who = who, text = text] {
                const auto h = bot.handle(who, text);
                const auto& t = h.reply.text;
                const auto nl = t.find('\n');
                return std::to_string(t.size()) + " bytes: " + t.substr(0, std::min<std::size_t>(nl, 60));
            }));
    }

    std::printf("\n%-36s %10s %10s  %s\n", "case", "median ms", "max ms", "result");
    for (const auto& r : rows)
        std::printf("%-36s %10.1f %10.1f  %s\n", r.what.c_str(), r.median_ms, r.max_ms, r.note.c_str());
    return 0;
}
