#include "server/rest_json.hpp"

#include <date/date.h>

#include <charconv>
#include <sstream>

#include "core/topics.hpp"

namespace fu::server::rest {
using nlohmann::json;

namespace {

json time_or_null(const std::optional<TimePoint>& t) { return t ? json(iso(*t)) : json(nullptr); }
json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json rate(std::optional<double> r) { return r ? json(*r) : json(nullptr); }
// An automatic topic is worded in English in "topic" and given as its code here,
// for a client to word in its own language; a typed topic has none.
json topic_code(const std::string& topic) { return topics::is_code(topic) ? json(topic) : json(nullptr); }

std::string handle_in(const api::Handles& h, std::optional<UserId> id) {
    if (!id) return {};
    auto it = h.find(*id);
    return it == h.end() ? "#" + std::to_string(id->value) : it->second;
}

json open_task_json(const Task& t) {
    return {{"id", t.id.value},
            {"due", iso(t.due)},
            {"method", code(t.method)},
            {"topic", topics::text(t.topic, Lang::en)},
            {"topic_code", topic_code(t.topic)},
            {"status", code(t.status)}};
}

json timeliness_json(const reports::Timeliness& t) {
    return {{"due", t.due}, {"on_time", t.on_time}, {"late", t.late}, {"pending", t.pending}, {"rate", rate(t.rate())}};
}

json rep_status_json(const reports::RepStatus& r) {
    return {{"user_id", r.rep.value},
            {"name", r.name},
            {"open", r.open},
            {"due_today", r.due_today},
            {"overdue", r.overdue},
            {"done_today", r.done_today},
            {"done_week", r.done_week},
            {"snoozes_week", r.snoozes_week},
            {"oldest_overdue", time_or_null(r.oldest_overdue)}};
}

json conversions_json(const std::vector<reports::Conversion>& list) {
    json a = json::array();
    for (const auto& c : list) a.push_back({{"key", c.key}, {"contacted", c.contacted}, {"won", c.won}});
    return a;
}

std::string_view period_name(reports::PeriodKind k) {
    switch (k) {
        case reports::PeriodKind::week: return "week";
        case reports::PeriodKind::month: return "month";
        case reports::PeriodKind::last_week: return "last_week";
        case reports::PeriodKind::last_month: return "last_month";
    }
    return "week";
}

}  // namespace

std::optional<std::int64_t> to_id(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::optional<TimePoint> parse_time(std::string_view text) {
    std::string s(text);
    // Fractional seconds are dropped: times here are whole seconds.
    if (auto dot = s.find('.'); dot != std::string::npos && dot > 10) {
        auto end = dot + 1;
        while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
        if (end == dot + 1) return std::nullopt;
        s.erase(dot, end - dot);
    }
    if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) s.replace(s.size() - 1, 1, "+00:00");
    for (const char* fmt : {"%Y-%m-%dT%H:%M:%S%Ez", "%Y-%m-%dT%H:%M%Ez"}) {
        std::istringstream in(s);
        date::sys_seconds t;
        in >> date::parse(fmt, t);
        if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return t;
    }
    return std::nullopt;
}

std::string iso(TimePoint t) { return date::format("%FT%TZ", t); }

json customer_json(const api::CustomerView& v) {
    const auto& c = v.customer;
    json open = json::array();
    for (const auto& t : v.open) open.push_back(open_task_json(t));
    return {{"id", c.id.value},
            {"name", c.name},
            {"company", c.company},
            {"phone", c.phone},
            {"email", c.email},
            {"im", c.im},
            {"owner", text_or_null(v.owner)},
            {"team", text_or_null(v.team)},
            {"tier", code(c.tier)},
            {"stage", code(c.stage)},
            {"source", c.source},
            {"value", c.value},
            {"tags", c.tags},
            {"external_id", text_or_null(c.external_id)},
            {"last_contact", time_or_null(c.last_contact)},
            {"next_followup", time_or_null(c.next_followup)},
            {"created_at", iso(c.created_at)},
            {"open_followups", open}};
}

json task_json(const api::TaskView& v) {
    const auto& t = v.task;
    return {{"id", t.id.value},
            {"customer", t.customer.value},
            {"customer_name", v.customer_name},
            {"assignee", v.assignee},
            {"due", iso(t.due)},
            {"method", code(t.method)},
            {"topic", topics::text(t.topic, Lang::en)},
            {"topic_code", topic_code(t.topic)},
            {"priority", code(t.priority)},
            {"status", code(t.status)},
            {"origin", code(t.origin)},
            {"snooze_count", t.snooze_count},
            {"reschedule_count", t.reschedule_count},
            {"snoozed_until", time_or_null(t.snoozed_until)},
            {"remind_at", time_or_null(t.remind_at)},
            {"done_at", time_or_null(t.done_at)},
            {"created_at", iso(t.created_at)}};
}

json history_json(const api::History& h) {
    json interactions = json::array();
    for (const auto& i : h.interactions)
        interactions.push_back({{"id", i.id.value},
                                {"task", i.task ? json(i.task->value) : json(nullptr)},
                                {"user", handle_in(h.handles, i.user)},
                                {"at", iso(i.at)},
                                {"method", code(i.method)},
                                {"results", i.results},
                                {"note", i.note},
                                {"satisfaction", i.satisfaction ? json(*i.satisfaction) : json(nullptr)},
                                {"stage", i.stage ? json(code(*i.stage)) : json(nullptr)}});
    json transfers = json::array();
    for (const auto& t : h.transfers)
        transfers.push_back({{"id", t.id.value},
                             {"from", text_or_null(handle_in(h.handles, t.from))},
                             {"to", text_or_null(handle_in(h.handles, t.to))},
                             {"by", text_or_null(handle_in(h.handles, t.by))},
                             {"at", iso(t.at)},
                             {"reason", t.reason}});
    return {{"customer", customer_json(h.customer)}, {"interactions", interactions}, {"transfers", transfers}};
}

json audit_json(const api::AuditList& list) {
    json items = json::array();
    for (const auto& a : list.items)
        items.push_back({{"id", a.id.value},
                         {"at", iso(a.at)},
                         {"actor", text_or_null(handle_in(list.handles, a.actor))},
                         {"action", a.action},
                         {"subject", a.subject},
                         {"detail", a.detail}});
    json out{{"items", items}, {"next_before", nullptr}};
    if (!list.items.empty()) out["next_before"] = list.items.back().id.value;
    return out;
}

json team_status_json(const reports::TeamStatus& s) {
    json reps = json::array();
    for (const auto& r : s.reps) reps.push_back(rep_status_json(r));
    return {{"now", iso(s.now)},
            {"day_start", iso(s.day_start)},
            {"week_start", iso(s.week_start)},
            {"time_zone", s.zone},
            {"reps", reps},
            {"total", rep_status_json(s.total)}};
}

json report_json(const reports::Report& r) {
    json reps = json::array();
    for (const auto& rep : r.reps)
        reps.push_back({{"user_id", rep.rep.value},
                        {"name", rep.name},
                        {"timeliness", timeliness_json(rep.timeliness)},
                        {"interactions", rep.interactions}});
    json outcomes = json::object();
    for (const auto& [k, n] : r.outcomes) outcomes[k] = n;
    return {{"period",
             {{"kind", period_name(r.period.kind)},
              {"from", iso(r.period.from)},
              {"to", iso(r.period.to)},
              {"first_day", date::format("%F", r.period.first_day)},
              {"last_day", date::format("%F", r.period.last_day)},
              {"time_zone", r.period.zone}}},
            {"timeliness", timeliness_json(r.total)},
            {"reps", reps},
            {"outcomes", outcomes},
            {"by_tier", conversions_json(r.by_tier)},
            {"by_stage", conversions_json(r.by_stage)},
            {"satisfaction_avg", rate(r.satisfaction_avg)},
            {"satisfaction_count", r.satisfaction_count},
            {"complaints_open", r.complaints_open},
            {"escalated", r.escalated},
            {"overdue_now", r.overdue_now},
            {"pool",
             {{"reclaimed", r.pool.reclaimed},
              {"released", r.pool.released},
              {"claimed", r.pool.claimed},
              {"assigned", r.pool.assigned}}}};
}

}  // namespace fu::server::rest
