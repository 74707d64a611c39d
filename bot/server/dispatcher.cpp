// The dispatcher (see dispatcher.hpp). Past 500 lines on purpose: a delivery's
// whole life (claim, the chat's turn, the send, the answer's outcome, backoff,
// fallback, the batch written back) is one state machine, read best in one file.
#include "server/dispatcher.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <random>

#include "core/render.hpp"
#include "server/logging.hpp"

namespace fu::server {
namespace asio = boost::asio;
using namespace std::chrono_literals;

struct Dispatcher::Item {
    Delivery delivery;
    OutboxMessage message;
    // A catch-up: `message` is made of the messages of these deliveries
    // (`parts`, oldest first), and `delivery` is the first of them.
    std::vector<Delivery> folded;
    std::vector<OutboxMessage> parts;
    Lang lang = Lang::en;
    const date::time_zone* zone = nullptr;
};

struct Dispatcher::Batch {
    std::vector<Item> items;
    std::optional<TimePoint> next;
    std::vector<Delivery> late;
    bool fell_back = false;
    std::optional<OutboxStore::PendingDeliveries> queue;  // read for the metrics this turn
};

namespace {

std::string chat_of(const Delivery& d) { return d.chat_id.empty() ? d.recipient : d.chat_id; }

// A wait for the platform or a chat this short is sat out; a longer one is
// left to a later turn, and other chats go first.
constexpr auto kSitOut = 50ms;

// At most this many buttons on a catch-up (the adapters keep fewer where the
// platform allows fewer); every button is also written out as its command.
constexpr std::size_t kFoldButtons = 10;

struct Fold {
    std::string text;
    std::vector<Button> buttons;
    std::vector<TaskId> tasks;
    std::size_t count = 0;  // of the parts, from the first, that are in it
};

// One message made of `parts` (oldest first): each with the time it was
// written and its text in full, and what its buttons would have done; as many
// parts as fit max_bytes.
Fold fold_parts(const std::vector<OutboxMessage>& parts, Lang lang, const date::time_zone* zone, TimePoint now,
                std::size_t max_bytes) {
    const bool zh = lang == Lang::zh;
    const auto head = [&](std::size_t n) {
        return zh ? "⏰ 有 " + std::to_string(n) + " 条消息未能按时送达，合并如下（按时间先后）："
                  : "⏰ " + std::to_string(n) + " messages could not be delivered on time; here they are, oldest first:";
    };
    Fold f;
    std::string body;
    for (const auto& m : parts) {
        const std::string when = render::when(m.created_at, now, zone, lang);
        std::string part = zh ? "\n\n【" + when + "】\n" + m.text : "\n\n[" + when + "]\n" + m.text;
        std::string actions;
        for (const auto& b : m.buttons) {
            if (b.command.empty()) continue;
            actions += (actions.empty() ? "" : " · ") + b.label + (zh ? "：" : ": ") + b.command;
        }
        if (!actions.empty()) part += "\n↳ " + actions;
        if (head(f.count + 1).size() + body.size() + part.size() > max_bytes) break;
        body += part;
        ++f.count;
        for (const auto& b : m.buttons) {
            const bool seen = std::any_of(f.buttons.begin(), f.buttons.end(),
                                          [&](const Button& o) { return o.command == b.command; });
            if (!b.command.empty() && !seen && f.buttons.size() < kFoldButtons) f.buttons.push_back(b);
        }
        for (const auto t : m.tasks)
            if (std::find(f.tasks.begin(), f.tasks.end(), t) == f.tasks.end()) f.tasks.push_back(t);
    }
    f.text = head(f.count) + body;
    return f;
}

}  // namespace

std::string idempotency_key(const Delivery& d) {
    return "fu-" + std::to_string(d.id.value) + "-" + std::to_string(to_unix(d.created_at));
}

std::chrono::milliseconds backoff(int attempts, std::chrono::seconds cap, double jitter01) {
    const int exponent = std::clamp(attempts - 1, 0, 20);
    const auto base = std::min<std::chrono::milliseconds>(std::chrono::seconds(1LL << exponent), cap);
    return std::chrono::milliseconds(static_cast<std::int64_t>(base.count() * (0.5 + jitter01)));
}

Dispatcher::Dispatcher(asio::any_io_executor ex, StorageExecutor& storage, Store& store, adapters::Adapter& adapter,
                       const Clock& clock, Metrics& metrics, DispatcherOptions options)
    : strand_(asio::make_strand(ex)),
      timer_(strand_),
      storage_(storage),
      store_(store),
      adapter_(adapter),
      clock_(clock),
      metrics_(metrics),
      options_(options),
      platform_(adapter.name()) {}

void Dispatcher::start() { asio::co_spawn(strand_, loop(), log_if_stopped(platform_ + ": delivery loop")); }

void Dispatcher::wake() {
    woken_ = true;
    asio::post(strand_, [this] { timer_.cancel(); });
}

void Dispatcher::stop() {
    stopped_ = true;
    asio::post(strand_, [this] { timer_.cancel(); });
}

asio::awaitable<void> Dispatcher::pace(const std::string& chat) {
    const auto limits = adapter_.limits();
    const auto ready = std::max(platform_ready_, chat_ready_[chat]);
    while (ready > clock_.monotonic() && !stopped_) {      // a wake() cancels the timer: wait on
        timer_.expires_after(ready - clock_.monotonic());  // the clock's time, which a test may move on
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    const auto now = clock_.monotonic();
    const double share = static_cast<double>(options_.instances ? std::max<std::size_t>(1, options_.instances()) : 1);
    platform_ready_ = now + std::chrono::microseconds(static_cast<std::int64_t>(1e6 * share / limits.per_second));
    chat_ready_[chat] = now + pace_interval();
    if (chat_ready_.size() > 10000) std::erase_if(chat_ready_, [&](const auto& kv) { return kv.second < now; });
}

std::chrono::milliseconds Dispatcher::pace_interval() const {
    return std::chrono::ceil<std::chrono::milliseconds>(
        std::chrono::duration<double>(1.0 / adapter_.limits().per_chat_per_second));
}

// Several instances: the chat's turn, taken with the claim. Not this one's:
// the chat waits here until it is free. This one's, a moment ahead (the
// last turn's interval ends within kSitOut): sat out.
asio::awaitable<bool> Dispatcher::take_turn(const std::string& chat, const ChatTurn& turn) {
    const auto ahead = std::max<std::chrono::milliseconds>(turn.at - clock_.precise_now(), 0ms);
    const auto until = clock_.monotonic() + ahead;
    chat_ready_[chat] = std::max(chat_ready_[chat], until + (turn.taken ? pace_interval() : 0ms));
    if (!turn.taken) co_return false;
    while (until > clock_.monotonic() && !stopped_) {
        timer_.expires_after(until - clock_.monotonic());
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return !stopped_;  // stopped: no send starts (the claim runs out, and another instance sends it)
}

asio::awaitable<bool> Dispatcher::send_one(Item& item) {
    Delivery& d = item.delivery;
    const std::string chat = chat_of(d);
    co_await pace(chat);  // long per-chat waits were deferred by the loop; short ones are sat out here
    if (options_.claim) {
        std::vector<DeliveryId> ids;
        if (item.folded.empty()) ids.push_back(d.id);
        for (const auto& f : item.folded) ids.push_back(f.id);
        // Claimed, and the chat's turn taken among all instances (a chat not
        // free yet: the claim is let go, and the chat waits here).
        struct Claim {
            std::vector<char> mine;
            ChatTurn turn;
        };
        auto claim = [this, ids, chat, now = clock_.now(), precise = clock_.precise_now(), interval = pace_interval()] {
            Claim c{std::vector<char>(ids.size(), 0), {}};
            store_.transact([&](Repo& repo) {
                for (std::size_t i = 0; i < ids.size(); ++i)
                    c.mine[i] = repo.defer_delivery(ids[i], now, now + options_.lease);
                if (std::find(c.mine.begin(), c.mine.end(), 1) == c.mine.end()) return;
                c.turn = repo.take_chat_turn(platform_, chat, precise, interval, kSitOut);
                if (c.turn.taken) return;
                // Let go at once: the chat's next turn, whoever takes it,
                // sends its oldest due delivery (this one), as on one instance.
                for (std::size_t i = 0; i < ids.size(); ++i)
                    if (c.mine[i]) repo.defer_delivery(ids[i], now + options_.lease, now);
            });
            return c;
        };
        const auto claimed = co_await storage_.run(std::move(claim));
        const auto& mine = claimed.mine;
        if (std::find(mine.begin(), mine.end(), 1) == mine.end())
            co_return true;                                           // another instance has it, or sent it
        if (!co_await take_turn(chat, claimed.turn)) co_return true;  // another instance's turn: this one waits
        if (!item.folded.empty() && std::count(mine.begin(), mine.end(), 1) != std::ptrdiff_t(mine.size())) {
            // Another instance took some: what this one claimed goes without them.
            std::vector<Delivery> kept;
            std::vector<OutboxMessage> parts;
            for (std::size_t i = 0; i < mine.size(); ++i) {
                if (!mine[i]) continue;
                kept.push_back(item.folded[i]);
                parts.push_back(item.parts[i]);
            }
            if (kept.empty()) co_return true;
            if (kept.size() == 1) {
                item.delivery = kept[0];
                item.message = parts[0];
                item.folded.clear();
                item.parts.clear();
            } else {
                const auto f = fold_parts(parts, item.lang, item.zone, clock_.now(), adapter_.limits().text_bytes);
                kept.resize(std::max<std::size_t>(f.count, 1));  // the rest wait for their lease
                parts.resize(kept.size());
                item.message.text = f.text;
                item.message.buttons = f.buttons;
                item.message.tasks = f.tasks;
                item.folded = std::move(kept);
                item.parts = std::move(parts);
                item.delivery = item.folded.front();
            }
        }
    }
    adapters::Outbound out;
    out.recipient = d.recipient;
    out.chat_id = d.chat_id;
    out.kind = item.message.kind;
    out.text = adapter_.renders_fences() ? item.message.text : adapters::split_fences(item.message.text).text;
    out.buttons = item.message.buttons;
    out.replace_ref = d.replace_ref;
    // A catch-up's key names its first and last parts: a different set is a different message.
    out.idempotency_key = idempotency_key(d);
    if (!item.folded.empty()) out.idempotency_key += "-" + std::to_string(item.folded.back().id.value);
    out.retry = d.attempts > 0;
    const auto started = clock_.monotonic();
    adapters::SendResult r = co_await adapter_.send(std::move(out));
    const double seconds = std::chrono::duration<double>(clock_.monotonic() - started).count();

    static thread_local std::mt19937 rng{std::random_device{}()};
    auto jitter = [] { return std::uniform_real_distribution<double>(0, 1)(rng); };
    const TimePoint now = clock_.now();
    d.attempts += 1;
    bool accepted = true;
    // The platform answered another message while one was suspected of
    // failing on its own: it was, and it goes on its own backoff from here.
    struct Poison {
        std::int64_t id = 0;
        TimePoint until{};
    } poison;
    auto second_opinion = [&](std::int64_t answered) {
        Poison p;
        if (suspect_ == 0 || suspect_ == answered) return p;
        p.id = suspect_;
        p.until =
            now + std::chrono::ceil<std::chrono::seconds>(backoff(failed_[suspect_], options_.max_backoff, jitter()));
        spdlog::warn("{}: delivery {} fails on its own; the others go on, and it is retried at {}", platform_, p.id,
                     to_unix(p.until));
        suspect_ = 0;
        return p;
    };
    switch (r.status) {
        case adapters::SendResult::Status::sent:
            d.status = DeliveryStatus::sent;
            d.sent_at = now;
            d.platform_message_id = r.message_ref;
            d.last_error.clear();
            metrics_.sent(platform_, seconds);
            metrics_.send_outcome(platform_, true, now.time_since_epoch().count());
            if (failures_in_a_row_ > 0)
                spdlog::info("{}: sending again after {} failed tries", platform_, failures_in_a_row_);
            failures_in_a_row_ = 0;
            down_ = false;
            failed_.erase(d.id.value);
            poison = second_opinion(d.id.value);
            if (!item.folded.empty())
                spdlog::info("{}: {} deliveries to {} sent as one catch-up", platform_, item.folded.size(), chat);
            break;
        case adapters::SendResult::Status::retry: {
            accepted = false;
            std::chrono::seconds wait;
            if (r.retry_after) {
                // The platform said when: no guess of ours, and no backoff grows.
                wait = std::max<std::chrono::seconds>(*r.retry_after, 1s);
                platform_ready_ = std::max(platform_ready_, clock_.monotonic() + wait);
            } else {
                // Held: retried first once the platform's wait is over.
                const int mine = ++failed_[d.id.value];
                if (failed_.size() > 10000) failed_.clear();  // a bound; what is lost is only a backoff's length
                if (++failures_in_a_row_ == 1)
                    run_first_ = d.id.value;
                else if (d.id.value != run_first_)
                    down_ = true;  // more than one message fails: the platform does
                if (suspect_ != 0 && suspect_ != d.id.value) suspect_ = 0;  // and the suspect was not alone
                if (mine >= options_.hold_failures && !down_ && suspect_ == 0) suspect_ = d.id.value;
                // Jittered below the cap, never above it: a platform back up is tried within probe_every.
                wait = std::min(options_.probe_every, std::chrono::ceil<std::chrono::seconds>(
                                                          backoff(failures_in_a_row_, options_.probe_every, jitter())));
                platform_ready_ = std::max(platform_ready_, clock_.monotonic() + wait);
            }
            d.next_attempt = now + wait;
            held_until_ = d.next_attempt;
            d.last_error = r.error;
            metrics_.retried(platform_);
            metrics_.send_outcome(platform_, false, now.time_since_epoch().count());
            spdlog::warn("{}: delivery {} attempt {} will be retried in {} s: {}", platform_, d.id.value, d.attempts,
                         wait.count(), r.error);
            break;
        }
        case adapters::SendResult::Status::failed:
            failed_.erase(d.id.value);
            poison = second_opinion(d.id.value);
            if (!item.folded.empty()) {
                // The catch-up itself was refused: its parts go one by one, each with its own answer.
                no_fold_[chat] = true;
                d.last_error = "catch-up refused: " + r.error;
                spdlog::error("{}: catch-up to {} refused by the platform ({}); sending its {} parts one by one",
                              platform_, chat, r.error, item.folded.size());
                break;
            }
            d.status = DeliveryStatus::failed;
            d.last_error = r.error;
            metrics_.failed(platform_);
            metrics_.send_outcome(platform_, false, now.time_since_epoch().count());
            spdlog::error("{}: delivery {} refused by the platform: {}", platform_, d.id.value, r.error);
            break;
    }
    const bool sent = r.status == adapters::SendResult::Status::sent;
    auto record = [this, d, folded = item.folded, sent, now, poison, chat_id = r.chat_id] {
        store_.transact([&](Repo& repo) {
            if (poison.id != 0) {  // later only, and only while pending: a claim of another instance stands
                if (auto p = repo.delivery(DeliveryId{poison.id});
                    p && p->status == DeliveryStatus::pending && p->next_attempt < poison.until) {
                    p->next_attempt = poison.until;
                    repo.update_delivery(*p);
                }
            }
            Delivery updated = d;
            if (updated.chat_id.empty() && !chat_id.empty()) {
                updated.chat_id = chat_id;
                if (auto who = repo.identity(updated.platform, updated.recipient); who && who->chat_id.empty()) {
                    who->chat_id = chat_id;  // the direct chat the adapter opened, for next time
                    repo.link_identity(*who);
                }
            }
            repo.update_delivery(updated);
            for (auto part : folded) {  // the catch-up's parts: sent with it, in the same transaction
                if (part.id == updated.id) continue;
                if (!sent) {
                    // Not sent: they wait with the first (and a claim of theirs is let go).
                    part.next_attempt = std::max(updated.next_attempt, now);
                    repo.update_delivery(part);
                    continue;
                }
                part.status = DeliveryStatus::sent;
                part.attempts += 1;
                part.sent_at = now;
                part.platform_message_id = updated.platform_message_id;
                part.last_error.clear();
                if (part.chat_id.empty()) part.chat_id = updated.chat_id;
                repo.update_delivery(part);
            }
        });
    };
    co_await storage_.run(std::move(record));
    co_return accepted;
}

// Once, when `d` is reported late: a reminder also goes to the recipient's
// identity on the fallback platform, if they have one.
bool Dispatcher::fall_back(Repo& repo, const Delivery& d, TimePoint now) {
    const auto& fallback = options_.fallback_platform;
    if (fallback.empty() || fallback == platform_) return false;
    const auto m = repo.message(d.message);
    if (!m || (m->kind != MessageKind::reminder && m->kind != MessageKind::catch_up)) return false;
    const auto who = repo.identity(d.platform, d.recipient);
    if (!who) return false;
    for (const auto& other : repo.identities_of(who->user)) {
        if (other.platform != fallback) continue;
        repo.add_delivery(pending_delivery(d.message, other.platform, other.external_id, other.chat_id, now));
        spdlog::warn("{}: delivery {} (message {}) also queued on {}", platform_, d.id.value, d.message.value,
                     fallback);
        return true;
    }
    return false;
}

// On the storage thread, in the turn's transaction: each chat with fold_min or
// more due deliveries queued over fold_after ago gets one catch-up instead,
// at the place of its oldest. Edits of earlier messages are not folded.
void Dispatcher::fold(Repo& repo, Batch& b, TimePoint now) {
    if (options_.fold_min < 2) return;
    std::unordered_map<std::string, std::vector<std::size_t>> stale;  // chat -> positions in b.items
    for (std::size_t i = 0; i < b.items.size(); ++i) {
        const auto& item = b.items[i];
        const auto& d = item.delivery;
        if (!d.replace_ref.empty() || d.created_at > now - options_.fold_after) continue;
        const auto chat = chat_of(d) + "\n" + d.recipient;
        if (no_fold_.contains(chat_of(d))) continue;
        auto& list = stale[chat];
        if (!list.empty() && b.items[list.front()].message.to != item.message.to) continue;
        list.push_back(i);
    }
    std::vector<char> drop(b.items.size(), 0);
    for (auto& [chat, positions] : stale) {
        if (positions.size() < options_.fold_min) continue;
        const auto user = repo.user(b.items[positions.front()].message.to);
        if (!user) continue;
        std::vector<OutboxMessage> parts;
        for (const auto i : positions) parts.push_back(b.items[i].message);
        const auto zone = render::zone_of(*user);
        const Fold f = fold_parts(parts, user->lang, zone, now, adapter_.limits().text_bytes);
        if (f.count < 2) continue;  // too long to share a message: one by one
        Item& first = b.items[positions.front()];
        Item catch_up{first.delivery,
                      OutboxMessage{{}, user->id, now, MessageKind::catch_up, f.text, f.buttons, f.tasks},
                      {},
                      {},
                      user->lang,
                      zone};
        for (std::size_t k = 0; k < f.count; ++k) {
            catch_up.folded.push_back(b.items[positions[k]].delivery);
            catch_up.parts.push_back(std::move(parts[k]));
        }
        // What did not fit waits for the next turn's catch-up, not sent alone behind this one.
        for (std::size_t k = 1; k < positions.size(); ++k) drop[positions[k]] = 1;
        first = std::move(catch_up);
    }
    std::size_t i = 0;
    std::erase_if(b.items, [&](const Item&) { return drop[i++] != 0; });
}

// A storage error (a full disk, a failed commit) pauses the loop, never ends
// it: it reads the pending deliveries again once storage works.
asio::awaitable<void> Dispatcher::loop() {
    int failures = 0;
    while (!stopped_) {
        std::string error;
        try {
            co_await step();
            failures = 0;
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (error.empty()) continue;
        ++failures;
        const auto wait = backoff(failures, std::chrono::seconds(30), 0.5);
        spdlog::error("{}: delivery loop: storage failed ({}); retrying in {} ms", platform_, error, wait.count());
        timer_.expires_after(wait);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

// One turn: report late deliveries, send what is due, or wait for the next.
asio::awaitable<void> Dispatcher::step() {
    woken_ = false;
    // While the platform is failing, or asked us to wait, no delivery is read
    // (the late ones are reported, the queue counted): the one that failed is
    // due again when this wait is over, so it is the oldest due one then, and
    // goes first.
    const bool held = platform_ready_ - clock_.monotonic() > kSitOut;
    auto fetch = [this, held] {
        Batch b;
        const TimePoint now = clock_.now();
        store_.transact([&](Repo& repo) {
            // Late ones first, so the copies sent below carry the flag.
            for (auto d : repo.deliveries_pending_since(now - options_.late_after, 100)) {
                if (d.platform != platform_ || d.late_reported) continue;
                d.late_reported = true;
                repo.update_delivery(d);
                b.fell_back = fall_back(repo, d, now) || b.fell_back;
                b.late.push_back(std::move(d));
            }
            // The delivery that held the platform is read even if the wall
            // clock is a moment behind the wait just over (whole seconds here).
            auto due = held ? std::vector<Delivery>{}
                            : repo.deliveries_due(platform_, std::max(now, held_until_), options_.batch);
            std::vector<MessageId> ids;
            for (const auto& d : due) ids.push_back(d.message);
            std::unordered_map<std::int64_t, OutboxMessage> messages;  // one read for the batch
            for (auto& m : repo.messages(ids)) messages.emplace(m.id.value, std::move(m));
            for (auto& d : due)
                if (auto it = messages.find(d.message.value); it != messages.end())
                    b.items.push_back(Item{std::move(d), it->second, {}, {}, Lang::en, nullptr});
            fold(repo, b, now);
            if (b.items.empty() && !held) b.next = repo.next_delivery_at(platform_);
            // Counting the queue is a range on an index as long as the queue:
            // cheap, but not worth doing on every turn of a busy platform.
            // Always before going idle, so a drained queue reads 0 at once.
            if (const auto mono = clock_.monotonic();
                b.items.empty() || mono - queue_counted_ >= std::chrono::seconds(5)) {
                queue_counted_ = mono;
                b.queue = repo.pending_deliveries(platform_);
            }
        });
        return b;
    };
    Batch batch = co_await storage_.run(std::move(fetch));
    if (batch.fell_back && options_.fallback_queued) options_.fallback_queued();
    for (const auto& d : batch.late) {
        metrics_.late(platform_);
        spdlog::error("{}: delivery {} (message {}) undelivered for over {} min: {}", platform_, d.id.value,
                      d.message.value, options_.late_after.count() / 60, d.last_error);
    }
    if (batch.queue) {
        std::optional<std::int64_t> oldest;
        if (batch.queue->oldest_created) oldest = batch.queue->oldest_created->time_since_epoch().count();
        metrics_.outbox(platform_, batch.queue->count, oldest);
    }
    if (held) {
        while (platform_ready_ > clock_.monotonic() && !stopped_) {  // a wake() does not end this wait
            timer_.expires_after(platform_ready_ - clock_.monotonic());
            co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        co_return;
    }
    if (batch.items.empty()) {
        // Checked on the strand right before waiting: a wake()/stop() after
        // this point posts its cancel behind the wait, so none is lost.
        if (woken_ || stopped_) co_return;
        auto wait = std::chrono::seconds(60);
        if (batch.next) wait = std::clamp<std::chrono::seconds>(*batch.next - clock_.now(), 0s, wait);
        timer_.expires_after(wait);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        co_return;
    }
    // A chat that is not ready yet (its per-chat pace) must not hold up the
    // others: its deliveries are skipped, not rewritten; they come again in
    // a later fetch. Only when a whole full batch is skipped, which could
    // keep the deliveries behind it from ever being read, do they move to
    // when their chat is ready.
    std::vector<Delivery> skipped;
    std::optional<Monotonic> first_ready;
    bool sent = false;
    for (auto& item : batch.items) {
        if (stopped_) break;
        const auto& d = item.delivery;
        const auto chat = d.chat_id.empty() ? d.recipient : d.chat_id;
        const auto ready = chat_ready_[chat];
        if (ready - clock_.monotonic() > kSitOut) {  // shorter waits are cheaper to sit out (pace() does)
            skipped.push_back(d);
            if (!first_ready || ready < *first_ready) first_ready = ready;
            continue;
        }
        // A second opinion: the delivery suspected of failing on its own waits
        // while another is tried (see dispatcher.hpp).
        if (suspect_ != 0 && d.id.value == suspect_ && batch.items.size() > 1) continue;
        sent = true;
        // Oldest first: after a send the platform did not accept, the next
        // turn starts again from the oldest due (that one, once its wait is over).
        if (!co_await send_one(item)) break;
    }
    if (sent || skipped.empty() || stopped_) co_return;
    if (batch.items.size() < options_.batch) {
        // Everything due waits for its chat: sleep until the first is ready
        // (or a wake: something new may be for another chat).
        if (woken_) co_return;
        timer_.expires_after(std::max<Monotonic::duration>(*first_ready - clock_.monotonic(), 1ms));
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        co_return;
    }
    for (auto& d : skipped) {
        const auto chat = d.chat_id.empty() ? d.recipient : d.chat_id;
        d.next_attempt = clock_.now() + std::chrono::ceil<std::chrono::seconds>(chat_ready_[chat] - clock_.monotonic());
    }
    // Only what is still pending and due moves: another instance may have sent some meanwhile.
    auto defer = [this, skipped = std::move(skipped)] {
        const TimePoint now = clock_.now();
        store_.transact([&](Repo& repo) {
            for (const auto& d : skipped) repo.defer_delivery(d.id, now, d.next_attempt);
        });
    };
    co_await storage_.run(std::move(defer));
}

}  // namespace fu::server
