// CSV import, as `followupd import` and the REST API take a file: encoding
// detection (UTF-8, BOM, GB18030), libcsv's records, then every cell's
// validation against a team in an in-memory SQLite store. A dry run, so each
// input starts from the same store; once as the team's manager (owners must
// be in the team) and once as the admin.
#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "data/csv_import.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {
using namespace fu;

struct World {
    World() {
        spdlog::set_level(spdlog::level::off);
        options.sop.daily_digest = false;
        options.sop.weekly_report = false;
        store = storage::SqliteStore::open(":memory:");
        store->transact([&](Repo& r) {
            const TeamId team = r.add_team(Team{{}, "East Sales"});
            const TeamId other = r.add_team(Team{{}, "North Sales"});
            manager = add(r, "li", "Li Na", Role::manager, team);
            add(r, "wang", "Wang Wei", Role::rep, team);
            add(r, "maria", "Maria", Role::rep, team);
            add(r, "olaf", "Olaf", Role::rep, other);
            admin = add(r, "boss", "Admin", Role::admin, std::nullopt);
        });
    }
    static UserId add(Repo& r, std::string handle, std::string name, Role role, std::optional<TeamId> team) {
        User u;
        u.handle = std::move(handle);
        u.display_name = std::move(name);
        u.role = role;
        u.team = team;
        u.time_zone = "Asia/Shanghai";
        return r.add_user(u);
    }
    BotOptions options;
    std::unique_ptr<storage::SqliteStore> store;
    UserId manager, admin;
};

void import_as(World& w, UserId actor, std::string_view bytes) {
    data::ImportOptions o;
    o.actor = actor;
    o.dry_run = true;
    o.batch = 7;  // several batches from a few rows
    const data::ImportResult r = data::import_customers(*w.store, w.options, from_unix(1795399200), bytes, o);
    if (r.applied) std::abort();  // a dry run writes nothing
    for (const auto& p : r.problems)
        if (p.message_en.empty() || p.message_zh.empty()) std::abort();  // each problem says what, in both languages
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World* w = new World;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    import_as(*w, w->manager, bytes);
    import_as(*w, w->admin, bytes);
    return 0;
}
