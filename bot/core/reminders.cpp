// Due reminders -> outbox messages, exactly once.
#include <map>

#include "core/bot.hpp"
#include "core/bot_internal.hpp"
#include "core/render.hpp"

namespace fu {
namespace {

constexpr std::size_t kBatch = 500;

std::string reminder_text(const Task& t, const Customer& c, const User& to, TimePoint now) {
    const auto zone = render::zone_of(to);
    const Lang lang = to.lang;
    std::string head = lang == Lang::zh ? "⏰ 跟进提醒" : "⏰ Follow-up due";
    std::string s = head + "\n" + render::task_line(t, c, now, zone, lang);
    s += "\n" + std::string(render::tier(c.tier, lang)) + " · " + std::string(render::stage(c.stage, lang));
    if (t.snooze_count > 0)
        s += lang == Lang::zh ? " · 已推迟" + std::to_string(t.snooze_count) + "次"
                              : " · snoozed " + std::to_string(t.snooze_count) + "×";
    s += lang == Lang::zh ? "\n回复：完成 " + std::to_string(t.id.value) + " <结果> [下次 <时间>]"
                          : "\nReply: done " + std::to_string(t.id.value) + " <result> [next <time>]";
    return s;
}

// Several due at once (typically after downtime): one list, a Done button each.
OutboxMessage catch_up_message(Repo& repo, const User& to, const std::vector<Task>& tasks, TimePoint now) {
    const Lang lang = to.lang;
    const auto zone = render::zone_of(to);
    OutboxMessage m;
    m.to = to.id;
    m.created_at = now;
    m.kind = MessageKind::catch_up;
    m.text = lang == Lang::zh ? "⏰ 你有 " + std::to_string(tasks.size()) + " 项跟进到期："
                              : "⏰ " + std::to_string(tasks.size()) + " follow-ups are due:";
    for (const auto& t : tasks) {
        const auto c = repo.customer(t.customer);
        m.text += "\n  " + render::task_line(t, *c, now, zone, lang);
        if (m.buttons.size() < 10) {
            auto done = render::reminder_buttons(t.id, lang).front();
            done.label = (lang == Lang::zh ? "✅ 完成 #" : "✅ Done #") + std::to_string(t.id.value);
            m.buttons.push_back(std::move(done));
        }
        m.tasks.push_back(t.id);
    }
    m.text += lang == Lang::zh ? "\n回复：完成 <编号> <结果> · 推迟 <编号> <时间>"
                               : "\nReply: done <id> <result> · snooze <id> <time>";
    return m;
}

}  // namespace

std::vector<UserId> Bot::fire_due_reminders() {
    std::vector<UserId> notified;
    const TimePoint now = clock_.now();
    for (;;) {
        std::size_t fetched = 0;
        store_.transact([&](Repo& repo) {
            const auto due = repo.reminders_due(now, kBatch);
            fetched = due.size();
            std::map<UserId, std::vector<Task>> by_rep;
            for (const auto& t : due) by_rep[t.assignee].push_back(t);
            for (auto& [rep, tasks] : by_rep) {
                auto to = repo.user(rep);
                if (tasks.size() >= std::size_t(options_.catch_up_min)) {
                    detail::deliver(repo, *to, catch_up_message(repo, *to, tasks, now));
                } else {
                    for (const auto& t : tasks) {
                        OutboxMessage m;
                        m.to = rep;
                        m.created_at = now;
                        m.kind = MessageKind::reminder;
                        m.text = reminder_text(t, *repo.customer(t.customer), *to, now);
                        m.buttons = render::reminder_buttons(t.id, to->lang);
                        m.tasks.push_back(t.id);
                        detail::deliver(repo, *to, m);
                    }
                }
                for (auto t : tasks) {
                    t.remind_at.reset();
                    repo.update_task(t);
                }
                notified.push_back(rep);
            }
        });
        if (fetched < kBatch) break;
    }
    return notified;
}

}  // namespace fu
