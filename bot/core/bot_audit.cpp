// The admin's `audit` (审计): the newest entries of the append-only audit log,
// filtered by who did it, a customer, or a follow-up, written as sentences in the
// reader's language and time zone.
#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <charconv>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

constexpr std::size_t kCustomerTasks = 50;  // a customer's follow-ups whose entries `audit <customer>` includes

std::optional<std::int64_t> number(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// "task:12" -> 12 when the subject is of that kind.
std::optional<std::int64_t> id_of(std::string_view subject, std::string_view kind) {
    if (!subject.starts_with(kind) || subject.size() <= kind.size() || subject[kind.size()] != ':') return std::nullopt;
    return number(subject.substr(kind.size() + 1));
}

class Writer {
public:
    explicit Writer(Ctx& ctx) : ctx_(ctx) {}

    std::string t(std::string_view en, std::string_view zh) const { return ctx_.t(en, zh); }

    std::string customer(std::int64_t id) {
        const auto c = ctx_.repo.customer(CustomerId{id});
        return "c" + std::to_string(id) + (c ? " " + c->name : std::string());
    }
    std::string task(std::int64_t id) {
        std::string out = "#" + std::to_string(id);
        if (const auto tk = ctx_.repo.task(TaskId{id}))
            if (const auto c = ctx_.repo.customer(tk->customer)) out += " " + c->name;
        return out;
    }
    std::string user(std::string_view id_text) {
        if (id_text == "pool") return t("public pool", "公海");
        if (const auto id = number(id_text)) return user_name(ctx_.repo, UserId{*id});
        return std::string(id_text);
    }
    std::string subject(std::string_view s) {
        if (const auto id = id_of(s, "task")) return task(*id);
        if (const auto id = id_of(s, "customer")) return customer(*id);
        if (const auto id = id_of(s, "user")) return user_name(ctx_.repo, UserId{*id});
        return std::string(s);
    }
    std::string time(std::string_view unix_text) {
        if (const auto v = number(unix_text)) return ctx_.when(from_unix(*v));
        return std::string(unix_text);
    }
    // "3->5" / "pool->5": from → to, as names.
    std::string move(std::string_view text) {
        const auto arrow = text.find("->");
        if (arrow == std::string_view::npos) return user(text);
        return user(text.substr(0, arrow)) + " → " + user(text.substr(arrow + 2));
    }
    // Ids in free detail text ("user:3", "customer:7", "due:1795…") as names and times.
    std::string detail(std::string_view d) {
        std::string out;
        std::size_t i = 0;
        while (i < d.size()) {
            std::size_t e = d.find(' ', i);
            if (e == std::string_view::npos) e = d.size();
            std::string_view w = d.substr(i, e - i);
            std::string shown(w);
            if (w.starts_with("user:"))
                shown = move(w.substr(5));
            else if (const auto c = id_of(w, "customer"))
                shown = customer(*c);
            else if (const auto tk = id_of(w, "task"))
                shown = task(*tk);
            else if (w.starts_with("due:"))
                shown = t("due ", "到期 ") + time(w.substr(4));
            if (!out.empty()) out += ' ';
            out += shown;
            i = e + 1;
        }
        return out;
    }
    // "reached, interested" (English names, as recorded) in the reader's language.
    std::string results(std::string_view d) {
        if (ctx_.lang == Lang::en) return std::string(d);
        std::string out;
        std::size_t i = 0;
        while (i <= d.size()) {
            std::size_t e = d.find(", ", i);
            if (e == std::string_view::npos) e = d.size();
            std::string_view name = d.substr(i, e - i);
            std::string shown(name);
            if (name == "done") shown = "已完成";
            for (const auto& r : cmd::result_codes())
                if (r.en == name) shown = std::string(r.zh);
            if (!out.empty()) out += "、";
            out += shown;
            if (e == d.size()) break;
            i = e + 2;
        }
        return out;
    }

    std::string describe(const AuditEntry& a) {
        const std::string s = subject(a.subject);
        const std::string_view d = a.detail;
        const std::string& act = a.action;
        auto with = [&](std::string text) { return d.empty() ? text : text + " · " + detail(d); };
        if (act == "task.create") {
            std::string due;
            if (const auto at = d.find("due:"); at != std::string_view::npos) due = time(d.substr(at + 4));
            return t("new follow-up " + s + (due.empty() ? "" : ", due " + due),
                     "新建跟进 " + s + (due.empty() ? "" : "，到期 " + due));
        }
        if (act == "task.cadence") {
            const auto sp = d.find(' ');
            const std::string why = sp == std::string_view::npos ? std::string() : std::string(d.substr(sp + 1));
            return t("follow-up " + s + " from the cadence" + (why.empty() ? "" : " (" + why + ")"),
                     "按跟进频率新建 " + s + (why.empty() ? "" : "（" + why + "）"));
        }
        if (act == "task.done") return t("done " + s + ": " + results(d), "完成 " + s + "：" + results(d));
        if (act == "task.snooze") return t("snoozed " + s + " until " + time(d), "推迟 " + s + " 到 " + time(d));
        if (act == "task.reschedule") {
            const auto arrow = d.find("->");
            if (arrow != std::string_view::npos) {
                const auto span = time(d.substr(0, arrow)) + " → " + time(d.substr(arrow + 2));
                return t("rescheduled " + s + ": " + span, "改期 " + s + "：" + span);
            }
            return t("rescheduled " + s, "改期 " + s);
        }
        if (act == "task.superseded") return t(s + " replaced by a follow-up set by hand", s + " 被手动设置的跟进取代");
        if (act == "complaint.open") return t("complaint opened: " + s, "登记投诉：" + s);
        if (act == "customer.add") return t("new customer " + s, "新建客户 " + s);
        if (act == "customer.assign") {
            std::string_view moved = d, note;
            if (const auto sp = d.find(' '); sp != std::string_view::npos)
                moved = d.substr(0, sp), note = d.substr(sp + 1);
            const std::string extra = note.empty() ? std::string() : " " + std::string(note);
            return t("assigned " + s + ": " + move(moved) + extra, "分配 " + s + "：" + move(moved) + extra);
        }
        if (act == "customer.claim") return t("claimed " + s + " from the pool", "从公海领取 " + s);
        if (act == "customer.release")
            return t("released " + s + " to the pool" + (d.empty() ? "" : ": " + std::string(d)),
                     "释放 " + s + " 到公海" + (d.empty() ? "" : "：" + std::string(d)));
        if (act == "customer.reclaim") {
            const std::string from = d.starts_with("from user:") ? user(d.substr(10)) : detail(d);
            return t(s + " reclaimed to the pool from " + from, s + " 被收回公海（原负责人 " + from + "）");
        }
        if (act == "customer.handover") {
            // "to user:5 customers 3 tasks 4"
            std::string to, customers = "?", tasks = "?";
            std::vector<std::string_view> w;
            for (std::size_t i = 0; i < d.size();) {
                std::size_t e = d.find(' ', i);
                if (e == std::string_view::npos) e = d.size();
                w.push_back(d.substr(i, e - i));
                i = e + 1;
            }
            for (std::size_t k = 0; k + 1 < w.size(); ++k) {
                if (w[k] == "to" && w[k + 1].starts_with("user:")) to = user(w[k + 1].substr(5));
                if (w[k] == "customers") customers = std::string(w[k + 1]);
                if (w[k] == "tasks") tasks = std::string(w[k + 1]);
            }
            return t("handover " + s + " → " + to + ": " + customers + " customer(s), " + tasks + " follow-up(s)",
                     "交接 " + s + " → " + to + "：" + customers + " 个客户，" + tasks + " 项跟进");
        }
        if (act == "customer.close") {
            const bool won = d == "won";
            return t("closed " + s + " as " + (won ? "won" : "lost"), "结案 " + s + "：" + (won ? "成交" : "丢单"));
        }
        if (act == "customer.stage") return t(s + " is now a new customer (won)", s + " 转为新客户（成交）");
        if (act == "customer.reopen") {
            const auto stage = stage_from_code(d);
            const std::string st = stage ? std::string(render::stage(*stage, ctx_.lang)) : std::string(d);
            return t("reopened " + s + " (was lost), stage " + st, "重新打开 " + s + "（原丢单），阶段 " + st);
        }
        if (act == "interaction.log") return t("logged " + s + ": " + results(d), "记录 " + s + "：" + results(d));
        if (act == "ladder.remind") return t("reminded about " + s, "提醒 " + s);
        if (act == "ladder.remind_again") return t("reminded again about " + s, "再次提醒 " + s);
        if (act == "ladder.digest") return t(s + " listed in the morning digest", s + " 已列入日报");
        if (act == "ladder.escalate") return t(s + " overdue: manager told", s + " 逾期：已升级通知主管");
        if (act == "ladder.reclaim")
            return t(s + " overdue: customer reclaimed to the pool", s + " 逾期：客户已收回公海");
        if (act == "identity.link") return with(t("linked " + s, "关联 " + s));
        if (act == "identity.unlink") return with(t("unlinked " + s, "取消关联 " + s));
        return with(act + " " + s);
    }

private:
    Ctx& ctx_;
};

}  // namespace

Reply run(Ctx& ctx, const cmd::Audit& c) {
    Writer w(ctx);
    std::vector<AuditEntry> entries;
    std::string filter;
    const auto limit = static_cast<std::size_t>(c.count);
    if (!c.user.empty()) {
        const auto u = std::optional<User>(resolve_person(ctx, c.user, ctx.repo.users(), PersonScope::everyone));
        Repo::AuditQuery q;
        q.actor = u->id;
        q.limit = limit;
        entries = ctx.repo.audit_search(q);
        filter = u->display_name + " @" + u->handle;
    } else if (c.task) {
        Repo::AuditQuery q;
        q.subject = "task:" + std::to_string(c.task->value);
        q.limit = limit;
        entries = ctx.repo.audit_search(q);
        filter = w.task(c.task->value);
    } else if (c.customer) {
        const Customer cu = load_customer(ctx, *c.customer);
        Repo::AuditQuery q;
        q.subject = "customer:" + std::to_string(cu.id.value);
        q.limit = limit;
        entries = ctx.repo.audit_search(q);
        for (const auto& t : ctx.repo.tasks_for_customer(cu.id, kCustomerTasks)) {  // and its follow-ups'
            q.subject = "task:" + std::to_string(t.id.value);
            auto more = ctx.repo.audit_search(q);
            entries.insert(entries.end(), more.begin(), more.end());
        }
        std::sort(entries.begin(), entries.end(), [](const AuditEntry& a, const AuditEntry& b) { return a.id > b.id; });
        entries.erase(std::unique(entries.begin(), entries.end(),
                                  [](const AuditEntry& a, const AuditEntry& b) { return a.id == b.id; }),
                      entries.end());
        if (entries.size() > limit) entries.resize(limit);
        filter = w.customer(cu.id.value);
    } else {
        Repo::AuditQuery q;
        q.limit = limit;
        entries = ctx.repo.audit_search(q);
    }

    std::string text = "🔎 " + ctx.t("Audit log", "审计日志");
    if (!filter.empty()) text += " · " + filter;
    text += ctx.t(" · newest ", " · 最新 ") + std::to_string(entries.size()) + " · " + ctx.me.time_zone;
    if (entries.empty()) return {text + ctx.t("\nNo entries.", "\n没有记录。"), {}};

    const auto this_year =
        date::year_month_day{date::floor<date::days>(date::zoned_seconds{ctx.zone, ctx.now}.get_local_time())}.year();
    std::string body;
    for (const auto& a : entries) {
        const auto local = date::zoned_seconds{ctx.zone, a.at}.get_local_time();
        const date::year_month_day ymd{date::floor<date::days>(local)};
        const std::string at = date::format(ymd.year() == this_year ? "%m-%d %H:%M" : "%Y-%m-%d %H:%M", local);
        const std::string who = a.actor ? user_name(ctx.repo, *a.actor) : ctx.t("system", "系统");
        if (!body.empty()) body += "\n";
        body += at + " " + who + "\n  " + w.describe(a);
    }
    text += "\n" + render::fence(body);
    if (entries.size() == limit && limit < 100)
        text += ctx.t("\nMore: audit " + std::to_string(std::min<std::size_t>(limit * 2, 100)) + " …",
                      "\n更多：审计 " + std::to_string(std::min<std::size_t>(limit * 2, 100)) + " …");
    return {text, {}};
}

}  // namespace fu::detail
