#include "server/app.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "core/api.hpp"
#include "core/bot.hpp"
#include "core/demo.hpp"
#include "server/announcements.hpp"
#include "server/event_hub.hpp"
#include "adapters/registry.hpp"
#include "server/dispatcher.hpp"
#include "server/effects.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "server/metrics.hpp"
#include "server/rest_api.hpp"
#include "server/router.hpp"
#include "server/scheduler.hpp"
#include "server/sign_in.hpp"
#include "server/storage_executor.hpp"
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
        if (uc.lang) u.lang = *uc.lang;
        else if (!u.id) u.lang = adapters::default_lang(uc.notify, cfg.lang);
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

// The SOP's rules per team id and the holiday calendar, from the config.
BotOptions bot_options(Store& store, const config::Config& cfg) {
    BotOptions o;
    o.catch_up_min = cfg.catch_up_min;
    o.sop = cfg.sop;
    store.transact([&](Repo& repo) {
        for (const auto& t : repo.teams())
            if (auto it = cfg.team_sop.find(t.name); it != cfg.team_sop.end()) o.team_sop[t.id] = it->second;
    });
    if (cfg.holidays == "cn") o.holidays = HolidayCalendar::parse(builtin_holidays_cn());
    else if (cfg.holidays != "none") o.holidays = HolidayCalendar::load_file(cfg.holidays);
    spdlog::info("calendar: {} ({} holidays and make-up workdays)", cfg.holidays, o.holidays.size());
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
    return o;
}

std::unique_ptr<Store> open_store(const config::Config& cfg) {
    auto opened = storage::open_store(store_options(cfg));
    if (!opened.created_key_file.empty())
        spdlog::warn("storage: customers' contacts are encrypted with a new key in {}: back it up with the database "
                     "(without it their phone, email and IM cannot be read) or move it to storage.contacts_key",
                     opened.created_key_file);
    return std::move(opened.store);
}

int run(const config::Config& cfg, const RunOptions& opts) {
    SystemClock clock;
    auto store = open_store(cfg);
    spdlog::info("storage: {} (schema version {}, durability {})",
                 cfg.engine == "postgres" ? "PostgreSQL" : cfg.database, store->schema_version(), cfg.durability);
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

    BotOptions options = bot_options(*store, cfg);
    auto link_base = std::make_shared<std::string>(public_url(cfg, cfg.port));
    if (!cfg.web_chat_pick) options.sign_in_link = sign_in_links(cfg, link_base);
    Bot bot(*store, clock, options);
    api::Service api_service(*store, clock, options);
    StorageExecutor storage(*store);
    EventHub hub;
    Metrics metrics;
    Scheduler scheduler(storage, bot, clock);
    Effects effects(scheduler, hub);
    effects.set_announce([&store](const std::vector<UserId>& users) {
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
    net::HttpClient http_client(ioc.get_executor());
    PlatformInbox inbox(storage, bot, effects);
    auto adapters = adapters::make_enabled(cfg, adapters::Deps{ioc.get_executor(), http_client, inbox});
    RestApi rest(storage, api_service, effects, RestOptions{cfg.time_zone, 64 * 1024, cfg.body_limit});
    Router router(web, metrics, inbox);
    router.set_rest(rest);
    // A channel that takes over late deliveries (e-mail) is told of them by every other sender.
    DispatcherOptions sending;
    // On PostgreSQL several instances may send from one outbox.
    sending.claim = cfg.engine == "postgres";
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
        }
        senders.push_back(std::make_unique<Dispatcher>(ioc.get_executor(), storage, *store, *a, clock, metrics, options));
        effects.add_sender(std::string(a->name()), [s = senders.back().get()] { s->wake(); });
        spdlog::info("platform {}: webhook at /hooks/{}", a->name(), a->name());
    }
    scheduler.on_fired([&](const std::vector<UserId>& users) {
        metrics.reminders_fired(users.size());
        effects.committed(Changes{users, {}, true, false});  // the scheduler re-arms itself
    });

    net::HttpServer http(ioc, net::HttpOptions{cfg.address, cfg.port, cfg.body_limit}, router);
    const auto port = http.start();
    *link_base = public_url(cfg, port);
    scheduler.start();
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

    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int sig) {
        if (ec) return;
        spdlog::info("received signal {}: stopping", sig);
        http.stop();
        hub.close_all();
        cross_instance.stop();
        scheduler.stop();
        for (auto& a : adapters) a->stop();
        for (auto& s : senders) s->stop();
    });

    std::vector<std::thread> threads;
    for (int i = 1; i < cfg.io_threads; ++i) threads.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    storage.join();  // finishes queued storage work, then the store closes
    spdlog::info("stopped cleanly");
    return 0;
}

}  // namespace fu::server
