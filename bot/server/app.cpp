// Wiring followupd together (see app.hpp). Past 500 lines on purpose: this is
// the one place that builds every part in order and stops them in reverse, so
// the start-up and shutdown order can be read top to bottom.
#include "server/app.hpp"

#include <date/date.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include <unistd.h>

#include "adapters/outbound_proxy.hpp"
#include "adapters/registry.hpp"
#include "core/api.hpp"
#include "core/bot.hpp"
#include "core/demo.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "server/announcements.hpp"
#include "server/calendar_feed.hpp"
#include "server/dispatcher.hpp"
#include "server/effects.hpp"
#include "server/event_hub.hpp"
#include "server/health.hpp"
#include "server/leadership.hpp"
#include "server/logging.hpp"
#include "server/metrics.hpp"
#include "server/reload.hpp"
#include "server/rest_api.hpp"
#include "server/retention.hpp"
#include "server/router.hpp"
#include "server/scheduler.hpp"
#include "server/sign_in.hpp"
#include "server/storage_executor.hpp"
#include "server/systemd.hpp"
#include "server/web_chat.hpp"

namespace fu::server {
namespace asio = boost::asio;

void sync_people(Repo& repo, const config::Config& cfg) {
    std::unordered_map<std::string, TeamId> teams;
    for (const auto& t : repo.teams()) teams[t.name] = t.id;
    for (const auto& name : cfg.teams)
        if (!teams.contains(name)) teams[name] = repo.add_team(Team{{}, name});
    for (const auto& uc : cfg.users) {
        User u;
        if (auto existing = repo.user_by_handle(uc.handle)) u = *existing;
        u.handle = uc.handle;
        u.display_name = uc.name.empty() ? uc.handle : uc.name;
        u.role = uc.role;
        u.team = uc.team.empty() ? std::nullopt : std::optional<TeamId>(teams.at(uc.team));
        u.time_zone = uc.time_zone.empty() ? cfg.time_zone : uc.time_zone;
        // A language chosen in config wins; otherwise one chosen with `lang` is
        // kept across restarts; a new user gets the language of the platform
        // their reminders go to (Chinese on the Chinese platforms).
        if (uc.lang)
            u.lang = *uc.lang;
        else if (!u.id)
            u.lang = adapters::default_lang(uc.notify, cfg.lang);
        u.work_start_minute = uc.work_start_minute.value_or(cfg.work_start_minute);
        u.work_end_minute = uc.work_end_minute.value_or(cfg.work_end_minute);
        u.work_days = uc.work_days.value_or(cfg.work_days);
        u.notify_platform = uc.notify;
        if (u.id)
            repo.update_user(u);
        else
            u.id = repo.add_user(u);
        for (const auto& [platform, external_id] : uc.identities) {
            auto existing = repo.identity(platform, external_id);
            if (existing && existing->user == u.id) continue;  // keep the chat id learnt so far
            repo.link_identity(Identity{platform, external_id, u.id, ""});
        }
    }
}

// The holiday calendar the config names.
HolidayCalendar holiday_calendar(const config::Config& cfg) {
    HolidayCalendar h;
    if (cfg.holidays == "cn")
        h = HolidayCalendar::parse(builtin_holidays_cn());
    else if (cfg.holidays != "none")
        h = HolidayCalendar::load_file(cfg.holidays);
    spdlog::info("calendar: {} ({} holidays and make-up workdays)", cfg.holidays, h.size());
    return h;
}

// The SOP's rules per team id and the holiday calendar, from the config.
BotOptions bot_options(Store& store, const config::Config& cfg, HolidayCalendar holidays) {
    BotOptions o;
    o.catch_up_min = cfg.catch_up_min;
    o.sop = cfg.sop;
    store.transact([&](Repo& repo) {
        for (const auto& t : repo.teams())
            if (auto it = cfg.team_sop.find(t.name); it != cfg.team_sop.end()) o.team_sop[t.id] = it->second;
    });
    o.holidays = std::move(holidays);
    o.limits = cfg.limits.input;
    return o;
}

std::string public_url(const config::Config& cfg, unsigned port) {
    if (!cfg.public_url.empty()) return cfg.public_url;
    std::string host = cfg.address;
    if (host == "0.0.0.0" || host == "::") {
        // Every address: the machine's name is the best guess (web_chat.public_url says it for sure).
        char name[256] = {};
        host = ::gethostname(name, sizeof name - 1) == 0 && name[0] ? name : "localhost";
    }
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(port);
}

namespace {

// The retention.* keys.
RetentionOptions retention_options(const config::Config& cfg) {
    constexpr auto kDay = std::chrono::days(1);
    RetentionOptions o;
    o.seen_events = cfg.retention_seen_events_days * kDay;
    o.outbox = cfg.retention_outbox_days * kDay;
    o.audit = cfg.retention_audit_days * kDay;
    o.batch = static_cast<std::size_t>(cfg.retention_batch);
    o.interval = Seconds{cfg.retention_interval_s};
    return o;
}

// limits.streams_per_user and limits.streams_total.
StreamLimits stream_limits(const config::Config& cfg) {
    return {static_cast<std::size_t>(cfg.limits.streams_per_user), static_cast<std::size_t>(cfg.limits.streams_total)};
}

// limits.connections, with the open-file limit raised to hold them. Where it
// cannot be raised so far the limit stays as configured, and the log says that
// past the open-file limit new connections wait (accept fails) instead of
// being answered 503.
std::size_t connection_limit(const config::Config& cfg) {
    const auto wanted = static_cast<std::size_t>(cfg.limits.connections);
    const auto fits = net::fit_open_files(wanted);
    if (fits < wanted)
        spdlog::warn(
            "http: limits.connections is {} but the open-file limit (ulimit -n, systemd's LimitNOFILE=) "
            "leaves room for about {}: past that new connections wait unanswered instead of getting a 503. "
            "Raise the open-file limit or lower limits.connections",
            wanted, fits);
    return wanted;
}

// What a SIGHUP works on.
struct Reloadable {
    config::Config& running;  // as applied so far
    const std::function<config::Config()>& reload;
    Store& store;
    StorageExecutor& storage;
    Bot& bot;
    api::Service& api;
    Effects& effects;
    Retention& retention;
    EventHub& hub;
    net::HttpServer& http;
};

// SIGHUP: the log file reopened; the config read and checked again, and what
// can change while running applied on the storage thread (between two pieces
// of work, as one transaction); the rest named as needing a restart. A config
// that does not load is refused, naming the key, and the running one stays.
asio::awaitable<void> hangup(Reloadable r) {
    systemd::reloading();
    try {
        if (reopen_log()) spdlog::info("SIGHUP: log file {} reopened", r.running.log_file);
    } catch (const std::exception& e) {
        spdlog::error("SIGHUP: log file {} not reopened ({}); still writing to the one open", r.running.log_file,
                      e.what());
    }
    if (r.reload) {
        std::optional<config::Config> next;
        try {
            next = r.reload();
        } catch (const std::exception& e) {  // config::ConfigError: names the key
            spdlog::error("SIGHUP: config not reloaded, the running one stays: {}", e.what());
        }
        if (next) {
            const auto changes = compare(r.running, *next);
            std::optional<config::Config> applied;
            if (!changes.applied.empty()) {
                auto candidate = reloaded(r.running, *next);
                auto apply = [&] {
                    auto holidays = holiday_calendar(candidate);  // a calendar file that fails changes nothing
                    r.store.transact([&](Repo& repo) { sync_people(repo, candidate); });
                    auto options = bot_options(r.store, candidate, std::move(holidays));  // new teams have ids now
                    r.bot.set_options(options);
                    r.api.set_options(std::move(options));
                    r.effects.committed(Changes{{}, {}, false, true});  // the SOP may move what is due when
                    r.retention.set_options(retention_options(candidate));
                    r.hub.set_limits(stream_limits(candidate));
                    r.http.set_max_connections(connection_limit(candidate));
                };
                try {
                    co_await r.storage.run_alone(std::move(apply));  // every lane reads the bot's options
                    applied = std::move(candidate);
                } catch (const std::exception& e) {
                    spdlog::error("SIGHUP: config not applied, the running one stays: {}", e.what());
                }
            }
            // Said at the old log level: a reload that quiets the log still shows what it did.
            if (changes.empty())
                spdlog::info("SIGHUP: config read again: no changes");
            else if (applied || changes.applied.empty())
                spdlog::info("SIGHUP: config reloaded; applied: {}; needs a restart: {}", join(changes.applied),
                             join(changes.restart));
            if (applied) {
                r.running = std::move(*applied);
                set_log_level(r.running.log_level);
            }
        }
    }
    systemd::ready("running (reloaded)");
}

// Keeps systemd's watchdog fed at half its interval, but only while the
// storage thread answers: a storage thread stuck (a transaction that never
// ends, a lock never released) lets the watchdog restart the service, while a
// merely busy one answers within the interval.
class Watchdog {
public:
    Watchdog(asio::any_io_executor io, StorageExecutor& storage, std::chrono::microseconds interval)
        : timer_(asio::make_strand(io)), storage_(storage), period_(interval / 2) {}
    void start() {
        asio::post(timer_.get_executor(), [this] { tick(); });
    }
    // From any thread: the timer is only touched on its strand.
    void stop() {
        asio::post(timer_.get_executor(), [this] {
            stopped_ = true;
            timer_.cancel();
        });
    }

private:
    void tick() {
        if (stopped_) return;
        // The probe posted at the last tick came back: all is well.
        if (answered_->exchange(false))
            systemd::watchdog();
        else if (probes_ > 0)
            spdlog::warn("watchdog: the storage thread has not answered for {} ms",
                         std::chrono::duration_cast<std::chrono::milliseconds>(period_).count());
        if (!probe_pending_->exchange(true)) {
            ++probes_;
            asio::post(storage_.executor(), [answered = answered_, pending = probe_pending_] {
                answered->store(true);
                pending->store(false);
            });
        }
        timer_.expires_after(period_);
        timer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) tick();
        });
    }

    asio::steady_timer timer_;
    StorageExecutor& storage_;
    std::chrono::microseconds period_;
    std::shared_ptr<std::atomic<bool>> answered_ = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> probe_pending_ = std::make_shared<std::atomic<bool>>(false);
    std::uint64_t probes_ = 0;
    bool stopped_ = false;
};

WebChatOptions web_chat_options(const config::Config& cfg) {
    WebChatOptions o;
    o.enabled = cfg.web_chat;
    o.pick = cfg.web_chat_pick;
    o.token = cfg.web_chat_token;
    o.code_lifetime = Seconds{cfg.sign_in_code_s};
    o.session_lifetime = Seconds{cfg.session_s};
    o.secure_cookie = cfg.secure_cookie || cfg.public_url.rfind("https://", 0) == 0;
    return o;
}

// `url` is set once the port is bound, before any command runs.
std::function<std::string(Repo&, const User&, TimePoint)> sign_in_links(const config::Config& cfg,
                                                                        std::shared_ptr<const std::string> url) {
    return [url, lifetime = Seconds{cfg.sign_in_code_s}](Repo& repo, const User& u, TimePoint now) {
        return sign_in::link_url(*url, sign_in::issue_link(repo, u, now, lifetime, "login command"));
    };
}

}  // namespace

storage::StoreOptions store_options(const config::Config& cfg) {
    storage::StoreOptions o;
    o.engine = cfg.engine;
    o.url = cfg.storage_url;
    o.path = cfg.database;
    o.contacts_key = cfg.contacts_key;
    o.contacts_key_file = cfg.contacts_key_file;
    o.durable = cfg.durability != "normal";
    o.cache_mib = cfg.cache_mib;
    o.connections = cfg.connections;
    return o;
}

namespace {

// `lanes`: also the further connections of storage.connections (the server);
// else one (the command line).
storage::OpenedStore open_stores(const config::Config& cfg, bool lanes) {
    auto options = store_options(cfg);
    if (!lanes) options.connections = 1;
    auto opened = storage::open_store(options);
    if (!opened.created_key_file.empty())
        spdlog::warn(
            "storage: customers' contacts are encrypted with a new key in {}: back it up with the database "
            "(without it their phone, email and IM cannot be read) or move it to storage.contacts_key",
            opened.created_key_file);
    return opened;
}

}  // namespace

std::unique_ptr<Store> open_store(const config::Config& cfg) { return std::move(open_stores(cfg, false).store); }

int run(const config::Config& cfg, const RunOptions& opts) {
    SystemClock clock;
    auto opened = open_stores(cfg, true);
    std::vector<Store*> lanes{opened.store.get()};
    for (auto& more : opened.more) lanes.push_back(more.get());
    // Every component works through the executor's store: on a storage
    // thread it is that lane's connection.
    StorageExecutor storage(lanes);
    Store* const store = &storage.store();
    spdlog::info("storage: {} (schema version {}, durability {}, {} connection{})",
                 cfg.engine == "postgres" ? "PostgreSQL" : cfg.database, store->schema_version(), cfg.durability,
                 lanes.size(), lanes.size() == 1 ? "" : "s");
    // Instances starting together on one PostgreSQL database may both add the
    // same new user: the one that loses the race tries again and finds it.
    for (int attempt = 1;; ++attempt) {
        try {
            store->transact([&](Repo& repo) {
                sync_people(repo, cfg);
                if (cfg.demo) {
                    const int added = seed_demo(repo, clock.now());
                    if (added > 0) spdlog::info("demo: added {} customers with follow-ups due within a minute", added);
                }
            });
            break;
        } catch (const std::exception& e) {
            if (attempt == 3) throw;
            spdlog::warn("storage: people from the config not stored ({}); trying again", e.what());
            std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
        }
    }

    auto holidays = holiday_calendar(cfg);
    if (const auto left = holidays.covered_days(clock.now()); left && *left < HolidayCalendar::kWarnDays)
        spdlog::warn(
            "calendar: {} ends {} ({} days from today): add the next year's holidays and make-up workdays "
            "once they are published, or working time will ignore them",
            cfg.holidays, date::format("%F", *holidays.covered_until()), *left);
    Metrics metrics;
    metrics.set_clock(clock);
    BotOptions options = bot_options(*store, cfg, std::move(holidays));
    options.on_command = [&metrics](std::string_view command, std::string_view result) {
        metrics.command(command, result);
    };
    auto link_base = std::make_shared<std::string>(public_url(cfg, cfg.port));
    if (!cfg.web_chat_pick) options.sign_in_link = sign_in_links(cfg, link_base);
    options.calendar_feed = [link_base](Repo& repo, const User& u, TimePoint now) {
        return calendar_feed::url(*link_base, calendar_feed::issue(repo, u, now));
    };
    Bot bot(*store, clock, options);
    api::Service api_service(*store, clock, options);
    EventHub hub;
    hub.set_limits(stream_limits(cfg));
    metrics.calendar_covered_until(options.holidays.covered_until(), clock);
    Scheduler scheduler(storage, bot, clock);
    Effects effects(scheduler, hub);
    effects.set_announce([store](const std::vector<UserId>& users) {
        try {
            store->announce(users);
        } catch (const std::exception& e) {
            spdlog::warn("live events: other instances not told of new messages ({})", e.what());
        }
    });
    WebChat web(storage, *store, bot, effects, hub, web_chat_options(cfg));

    asio::io_context ioc(cfg.io_threads);
    // Other instances on the same database (PostgreSQL): their new messages wake streams here, and ours there.
    CrossInstanceEvents cross_instance(ioc.get_executor(), storage, *store, hub);
    net::HttpClientOptions client_options;
    client_options.proxy = adapters::outbound_proxy(cfg);  // checked at load (validate_all)
    if (client_options.proxy.any()) spdlog::info("http: platform requests go {}", client_options.proxy.describe());
    net::HttpClient http_client(ioc.get_executor(), std::move(client_options));
    PlatformInbox inbox(storage, bot, effects);
    auto adapters = adapters::make_enabled(cfg, adapters::Deps{ioc.get_executor(), http_client, inbox});
    for (auto& a : adapters) bot.set_page_bytes(std::string(a->name()), a->limits().text_bytes);
    RestApi rest(storage, api_service, effects, RestOptions{cfg.time_zone, 64 * 1024, cfg.body_limit});
    Router router(web, metrics, inbox);
    router.set_rest(rest);
    Health health(ioc.get_executor(), storage, *store, scheduler, metrics, clock,
                  HealthOptions{storage::latest_schema_version(cfg.engine), std::chrono::milliseconds(2000),
                                3 * Scheduler::kMaxWait, std::chrono::seconds(cfg.platform_failing_s)});
    router.set_health(health);
    calendar_feed::Route calendar(storage, *store, clock, link_base);
    router.set_calendar(calendar);
    Dashboard dashboard(web, storage, *store, bot, clock);
    router.set_dashboard(dashboard);
    MyPage my_page(web, storage, *store, bot, effects, clock);
    router.set_my_page(my_page);
    // A channel that takes over late deliveries (e-mail) is told of them by every other sender.
    DispatcherOptions sending;
    // On PostgreSQL several instances may send from one outbox, each at its share of the platforms' rates.
    sending.claim = cfg.engine == "postgres";
    LeadershipOptions leading{sending.claim};
    leading.lease = Seconds(cfg.leader_lease_s);
    leading.renew = Seconds(std::max(1, cfg.leader_lease_s / 3));
    Leadership leadership(storage, *store, clock, Leadership::make_id(), leading);
    leadership.on_change([&metrics](bool leader, std::size_t n) { metrics.leadership(leader, n); });
    sending.instances = [&leadership] { return leadership.instances(); };
    for (auto& a : adapters) {
        if (auto after = a->fallback_after()) {
            sending.late_after = *after;
            sending.fallback_platform = std::string(a->name());
            sending.fallback_queued = [&effects, name = sending.fallback_platform] {
                effects.committed(Changes{{}, {name}, false, false});
            };
        }
    }
    std::vector<std::unique_ptr<Dispatcher>> senders;
    for (auto& a : adapters) {
        router.add(*a);
        DispatcherOptions options = sending;
        if (a->name() == sending.fallback_platform) {
            options = DispatcherOptions{};
            options.claim = sending.claim;
            options.instances = sending.instances;
        }
        senders.push_back(
            std::make_unique<Dispatcher>(ioc.get_executor(), storage, *store, *a, clock, metrics, options));
        effects.add_sender(std::string(a->name()), [s = senders.back().get()] { s->wake(); });
        spdlog::info("platform {}: webhook at /hooks/{}", a->name(), a->name());
    }
    scheduler.on_fired([&](const std::vector<UserId>& users) {
        metrics.reminders_fired(users.size());
        effects.committed(Changes{users, {}, true, false});  // the scheduler re-arms itself
    });

    storage.on_group([&metrics](std::size_t pieces, double seconds, bool committed) {
        metrics.storage_group(pieces, seconds, committed);
    });
    scheduler.on_lag([&metrics](double seconds) { metrics.scheduler_lag(seconds); });
    Retention retention(storage, *store, clock, retention_options(cfg));
    retention.set_leader([&leadership] { return leadership.leader(); });
    retention.on_pass([&metrics, &clock](const RetentionPass& pass, double seconds) {
        metrics.retention_pass(pass.deleted, to_unix(clock.now()), seconds);
    });
    net::HttpOptions http_options{cfg.address, cfg.port, cfg.body_limit};
    http_options.max_connections = connection_limit(cfg);
    std::vector<std::string> platform_names;
    for (auto& a : adapters) platform_names.emplace_back(a->name());
    http_options.on_request = [&metrics, platform_names, access = cfg.log_access](const net::RequestRecord& r) {
        metrics.http_request(route_of(r.target, platform_names), r.status, r.seconds);
        if (access) log_access(r);
    };
    net::HttpServer http(ioc, http_options, router);
    const auto port = http.start();
    *link_base = public_url(cfg, port);
    leadership.start();  // its first round goes before the senders' first fetch
    scheduler.start();
    retention.start();
    cross_instance.start();
    for (auto& s : senders) s->start();
    for (auto& a : adapters) a->start();
    spdlog::info("followupd listening on http://{}:{}", cfg.address, port);
    std::printf("followupd listening on http://%s:%u\n", cfg.address.c_str(), unsigned(port));
    std::fflush(stdout);
    if (!opts.port_file.empty()) {
        const auto tmp = opts.port_file + ".tmp";
        std::ofstream(tmp) << port << "\n";
        std::filesystem::rename(tmp, opts.port_file);  // readers never see a half-written file
    }

    std::optional<Watchdog> watchdog;
    if (auto interval = systemd::watchdog_interval()) {
        watchdog.emplace(ioc.get_executor(), storage, *interval);
        watchdog->start();
        spdlog::info("watchdog: every {} ms while the storage thread answers",
                     std::chrono::duration_cast<std::chrono::milliseconds>(*interval / 2).count());
    }
    // One wait at a time: a SIGHUP's reload finishes before the next signal
    // is read, and a SIGTERM that comes meanwhile is kept by the set until then.
    config::Config running = cfg;
    asio::signal_set signals(ioc, SIGINT, SIGTERM, SIGHUP);
    std::function<void()> wait_signal = [&] {
        signals.async_wait([&](boost::system::error_code ec, int sig) {
            if (ec) return;
            if (sig == SIGHUP) {
                asio::co_spawn(ioc,
                               hangup(Reloadable{running, opts.reload, *store, storage, bot, api_service, effects,
                                                 retention, hub, http}),
                               [&](std::exception_ptr) { wait_signal(); });
                return;
            }
            spdlog::info("received signal {}: stopping", sig);
            systemd::stopping();
            if (watchdog) watchdog->stop();
            http.stop();
            hub.close_all();
            cross_instance.stop();
            scheduler.stop();
            retention.stop();
            leadership.stop();  // steps down: another instance leads at its next round
            for (auto& a : adapters) a->stop();
            for (auto& s : senders) s->stop();
        });
    };
    wait_signal();
    systemd::ready(fmt::format("listening on http://{}:{}", cfg.address, port));

    std::vector<std::thread> threads;
    for (int i = 1; i < cfg.io_threads; ++i) threads.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    storage.join();  // finishes queued storage work, then the store closes
    spdlog::info("stopped cleanly");
    return 0;
}

}  // namespace fu::server
