#include "core/calendar_feed.hpp"

#include <map>

#include "core/render.hpp"
#include "core/topics.hpp"

namespace fu {

namespace {

std::string summary(const Task& t, const Customer& c, Lang lang) {
    const bool zh = lang == Lang::zh;
    std::string s = c.name + " · " + std::string(render::method(t.method, lang));
    if (!t.topic.empty()) s += (zh ? "：" : ": ") + topics::text(t.topic, lang);
    if (t.priority == Priority::high) s += zh ? " ❗紧急" : " ❗urgent";
    return s;
}

// What the rep needs at a glance, and how to act on it from the chat. No
// phone, e-mail or IM: a calendar is synced to places the contacts must not go.
std::string description(const Task& t, const Customer& c, Lang lang, const std::string& web_url) {
    const auto id = std::to_string(t.id.value);
    std::string d;
    if (lang == Lang::zh) {
        d = "客户：" + c.name;
        if (!c.company.empty() && c.company != c.name) d += "（" + c.company + "）";
        d += "\n阶段：" + std::string(render::stage(c.stage, lang)) + " · 等级：" +
             std::string(render::tier(c.tier, lang));
        d += "\n跟进 #" + id + "：在聊天中发送“完成 " + id + "”或“推迟 " + id + " 1小时后”";
        if (!web_url.empty()) d += "\n网页聊天：" + web_url;
    } else {
        d = "Customer: " + c.name;
        if (!c.company.empty() && c.company != c.name) d += " (" + c.company + ")";
        d += "\nStage: " + std::string(render::stage(c.stage, lang)) +
             " · tier: " + std::string(render::tier(c.tier, lang));
        d += "\nFollow-up #" + id + ": in chat, send \"done " + id + "\" or \"snooze " + id + " 1h\"";
        if (!web_url.empty()) d += "\nWeb chat: " + web_url;
    }
    return d;
}

}  // namespace

std::string url_host(std::string_view url) {
    if (const auto p = url.find("://"); p != std::string_view::npos) url.remove_prefix(p + 3);
    url = url.substr(0, url.find_first_of("/?#"));
    if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
    if (url.starts_with('[')) return std::string(url.substr(1, url.find(']') - 1));  // [::1]:8080
    return std::string(url.substr(0, url.find(':')));
}

ical::Calendar calendar_of(Repo& repo, const User& me, TimePoint now, const FeedOptions& o) {
    const Lang lang = me.lang;
    ical::Calendar cal;
    cal.prodid = "-//followupd//Follow-ups//" + std::string(lang == Lang::zh ? "ZH" : "EN");
    cal.name = lang == Lang::zh ? "跟进提醒 · " + me.display_name : "Follow-ups · " + me.display_name;
    auto tasks = repo.open_tasks_for(me.id, now + o.horizon);  // earliest first, overdue included
    if (tasks.size() > o.max_events) tasks.resize(o.max_events);
    std::map<std::int64_t, Customer> customers;
    for (const Task& t : tasks) {
        auto it = customers.find(t.customer.value);
        if (it == customers.end()) {
            auto c = repo.customer(t.customer);
            if (!c) continue;
            it = customers.emplace(t.customer.value, std::move(*c)).first;
        }
        ical::Event e;
        e.uid = "task-" + std::to_string(t.id.value) + "@" + o.host;
        e.start = t.due;
        e.duration = o.duration;
        e.sequence = t.reschedule_count;
        e.summary = summary(t, it->second, lang);
        e.description = description(t, it->second, lang, o.web_url);
        e.url = o.web_url;
        cal.events.push_back(std::move(e));
    }
    return cal;
}

}  // namespace fu
