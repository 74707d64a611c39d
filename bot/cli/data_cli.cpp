// `followupd import` and `followupd export` (see data_cli.hpp).
#include "cli/data_cli.hpp"

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "adapters/registry.hpp"
#include "config/config.hpp"
#include "core/work_calendar.hpp"
#include "data/csv_export.hpp"
#include "data/csv_import.hpp"
#include "server/app.hpp"

namespace fu::cli {
namespace {

struct DataArgs {
    std::string config = fu::config::default_path();
    std::string db;
    std::string as;
    std::string lang;  // en | zh; default: the user's
    // import
    std::string file;
    bool dry_run = false;
    std::size_t batch = 500;
    bool progress = true;
    // export
    std::string kind;
    std::string output;
    bool zh = false;
    std::string team;
};

struct Opened {
    config::Config cfg;
    std::unique_ptr<Store> store;
    BotOptions options;
    User user;
};

// The database and people as the server sees them; nullopt after printing why not.
std::optional<Opened> open(const DataArgs& a) {
    Opened o;
    try {
        o.cfg = config::load_file(a.config, config::process_env());
        adapters::validate_names(o.cfg);
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return std::nullopt;
    }
    if (!a.db.empty()) o.cfg.database = a.db;
    try {
        o.store = server::open_store(o.cfg);
        std::optional<User> user;
        o.store->transact([&](Repo& repo) {
            server::sync_people(repo, o.cfg);
            user = repo.user_by_handle(a.as);
            for (const auto& t : repo.teams())
                if (auto it = o.cfg.team_sop.find(t.name); it != o.cfg.team_sop.end())
                    o.options.team_sop[t.id] = it->second;
        });
        if (!user) {
            std::cerr << "no user '" << a.as << "' (用户不存在)\n";
            return std::nullopt;
        }
        o.user = *user;
        o.options.catch_up_min = o.cfg.catch_up_min;
        o.options.sop = o.cfg.sop;
        o.options.limits = o.cfg.limits.input;
        if (o.cfg.holidays == "cn")
            o.options.holidays = HolidayCalendar::parse(builtin_holidays_cn());
        else if (o.cfg.holidays != "none")
            o.options.holidays = HolidayCalendar::load_file(o.cfg.holidays);
    } catch (const std::exception& e) {
        std::cerr << "cannot open " << o.cfg.database << ": " << e.what() << "\n";
        return std::nullopt;
    }
    return o;
}

bool chinese(const DataArgs& a, const User& u) { return a.lang.empty() ? u.lang == Lang::zh : a.lang == "zh"; }

// "[##########----------]  50%  50000/100000" on one line of a terminal.
class ProgressBar {
public:
    explicit ProgressBar(bool enabled) : enabled_(enabled) {}
    ~ProgressBar() {
        if (drawn_) std::cerr << "\n";
    }
    void operator()(std::size_t done, std::size_t total) {
        if (!enabled_ || total < 1000) return;
        constexpr int width = 30;
        const int filled = static_cast<int>(width * done / total);
        std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '-') << "] "
                  << (100 * done / total) << "%  " << done << "/" << total << std::flush;
        drawn_ = true;
    }

private:
    bool enabled_;
    bool drawn_ = false;
};

int run_import(const DataArgs& a) {
    std::ifstream in(a.file, std::ios::binary);
    if (!in) {
        std::cerr << "cannot read " << a.file << "\n";
        return 2;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    auto o = open(a);
    if (!o) return 2;
    const bool zh = chinese(a, o->user);

    data::ImportResult r;
    {
        ProgressBar bar(a.progress && ::isatty(STDERR_FILENO));
        data::ImportOptions io;
        io.dry_run = a.dry_run;
        io.actor = o->user.id;
        io.batch = a.batch;
        io.progress = [&bar](std::size_t done, std::size_t total) { bar(done, total); };
        r = data::import_customers(*o->store, o->options, SystemClock{}.now(), bytes.str(), io);
    }
    if (!r.problems.empty()) {
        std::cout << (zh ? "❌ " + a.file + "：发现 " + std::to_string(r.problems.size()) + " 个问题，未写入任何数据。\n"
                         : "❌ " + a.file + ": " + std::to_string(r.problems.size()) +
                               " problem(s); nothing was written.\n");
        for (const auto& p : r.problems) {
            std::cout << (zh ? "第 " + std::to_string(p.row) + " 行" : "row " + std::to_string(p.row));
            if (!p.column.empty()) std::cout << (zh ? "，列「" + p.column + "」" : ", column " + p.column);
            std::cout << (zh ? "：" : ": ") << (zh ? p.message_zh : p.message_en) << "\n";
        }
        if (r.applied) std::cout << (zh ? "注意：部分批次已写入。\n" : "Note: some batches were written.\n");
        return 1;
    }
    const auto n = [](std::size_t v) { return std::to_string(v); };
    if (zh)
        std::cout << (a.dry_run ? "✅ 试运行（未写入）" : "✅ 已导入") << " " << a.file << "（编码 " << r.encoding
                  << "）：" << n(r.rows) << " 行，新建 " << n(r.created) << "，更新 " << n(r.updated) << "，未变 "
                  << n(r.unchanged) << "，下次跟进 " << n(r.followups) << "\n";
    else
        std::cout << (a.dry_run ? "✅ Dry run (nothing written)" : "✅ Imported") << " " << a.file << " (encoding "
                  << r.encoding << "): " << n(r.rows) << " rows, " << n(r.created) << " created, " << n(r.updated)
                  << " updated, " << n(r.unchanged) << " unchanged, " << n(r.followups) << " follow-ups\n";
    return 0;
}

int run_export(const DataArgs& a) {
    auto o = open(a);
    if (!o) return 2;
    const bool zh = chinese(a, o->user);
    std::optional<TeamId> scope = o->user.team;
    if (o->user.role == Role::admin) {
        scope.reset();
        if (!a.team.empty()) {
            o->store->transact([&](Repo& repo) {
                for (const auto& t : repo.teams())
                    if (t.name == a.team) scope = t.id;
            });
            if (!scope) {
                std::cerr << (zh ? "没有团队「" + a.team + "」\n" : "no team '" + a.team + "'\n");
                return 2;
            }
        }
    }
    const auto kind = a.kind == "customers" ? data::ExportKind::customers
                      : a.kind == "tasks"   ? data::ExportKind::tasks
                                            : data::ExportKind::interactions;
    std::string text;
    try {
        text = data::export_csv(*o->store, kind, scope, o->user.id, SystemClock{}.now(),
                                data::ExportOptions{a.zh ? Lang::zh : Lang::en});
    } catch (const data::ExportRefused& e) {
        std::cerr << (zh ? e.message_zh : e.message_en) << "\n";
        return 1;
    }
    if (a.output.empty() || a.output == "-") {
        std::cout << text;
        return std::cout ? 0 : 1;
    }
    std::ofstream out(a.output, std::ios::binary);
    out << text;
    if (!out) {
        std::cerr << "cannot write " << a.output << "\n";
        return 2;
    }
    return 0;
}

void add_common(CLI::App* cmd, DataArgs& a) {
    cmd->add_option("--as", a.as, "who you are: a manager (your team) or an admin (a user handle)")->required();
    cmd->add_option("-c,--config", a.config, "config file (JSON)")->capture_default_str();
    cmd->add_option("--db", a.db, "SQLite file (overrides storage.path)");
    cmd->add_option("--lang", a.lang, "language of messages (default: the user's)")->check(CLI::IsMember({"en", "zh"}));
}

}  // namespace

std::function<std::optional<int>()> add_data_commands(CLI::App& app) {
    auto args = std::make_shared<DataArgs>();
    auto* imp = app.add_subcommand("import", "import customers and next follow-ups from a CSV file (docs/CSV.md)");
    imp->add_option("file", args->file, "the CSV file (UTF-8, UTF-8 with BOM, or GBK)")->required();
    add_common(imp, *args);
    imp->add_flag("--dry-run", args->dry_run, "check the file and count what would change; write nothing");
    imp->add_option("--batch", args->batch, "rows per transaction")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    imp->add_flag("!--no-progress", args->progress, "no progress bar");

    auto* exp = app.add_subcommand("export", "export customers, tasks or interactions as CSV (docs/CSV.md)");
    exp->add_option("kind", args->kind, "customers | tasks | interactions")
        ->required()
        ->check(CLI::IsMember({"customers", "tasks", "interactions"}));
    add_common(exp, *args);
    exp->add_option("-o,--output", args->output, "write here (default: standard output)");
    exp->add_flag("--zh", args->zh, "Chinese headers and values (the importer reads them back)");
    exp->add_option("--team", args->team, "admin: one team's data (default: everything)");

    return [args, imp, exp]() -> std::optional<int> {
        if (imp->parsed()) return run_import(*args);
        if (exp->parsed()) return run_export(*args);
        return std::nullopt;
    };
}

}  // namespace fu::cli
