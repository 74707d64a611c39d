// CSV export of customers, follow-up tasks and interactions (see csv_export.hpp).
#include "data/csv_export.hpp"

#include <map>

#include "core/render.hpp"
#include "core/topics.hpp"
#include "data/csv_columns.hpp"
#include "data/csv_text.hpp"

namespace fu::data {
namespace {

constexpr std::size_t kPage = 1000;

struct Writer {
    Lang lang;
    const date::time_zone* zone;
    std::string out = "\xEF\xBB\xBF";  // BOM: spreadsheets then read the file as UTF-8
    std::size_t rows = 0;

    void header(std::initializer_list<std::pair<std::string_view, std::string_view>> names) {
        std::vector<std::string> h;
        for (const auto& [en, zh] : names) h.emplace_back(lang == Lang::zh ? zh : en);
        csv::append_record(out, h);
    }
    void record(const std::vector<std::string>& fields) {
        csv::append_record(out, fields);
        ++rows;
    }
    std::string time(const std::optional<TimePoint>& t) const { return t ? csv::iso_time(*t, zone) : std::string(); }
};

std::string join(const std::vector<std::string>& words, std::string_view sep) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += sep;
        out += w;
    }
    return out;
}

std::string cid(CustomerId id) { return "c" + std::to_string(id.value); }

struct Names {
    std::map<UserId, std::string> handles;
    std::map<TeamId, std::string> teams;
    std::string handle(std::optional<UserId> id) const {
        if (!id) return {};
        auto it = handles.find(*id);
        return it == handles.end() ? std::to_string(id->value) : it->second;
    }
};

void customers(Repo& repo, std::optional<TeamId> scope, const Names& names, Writer& w) {
    const bool zh = w.lang == Lang::zh;
    // The importer's columns, in the importer's words (see csv_columns.cpp).
    std::vector<std::string> header;
    for (const auto& spec : columns::specs()) header.emplace_back(zh ? spec.zh : spec.en);
    csv::append_record(w.out, header);
    Repo::CustomerQuery q;
    q.team = scope;
    q.limit = kPage;
    for (;;) {
        const auto page = repo.list_customers(q);
        for (const auto& c : page) {
            std::vector<std::string> f;
            for (const auto& spec : columns::specs()) {
                switch (spec.col) {
                    case columns::Col::customer_id: f.push_back(cid(c.id)); break;
                    case columns::Col::external_id: f.push_back(c.external_id); break;
                    case columns::Col::name: f.push_back(c.name); break;
                    case columns::Col::company: f.push_back(c.company); break;
                    case columns::Col::phone: f.push_back(c.phone); break;
                    case columns::Col::email: f.push_back(c.email); break;
                    case columns::Col::im: f.push_back(c.im); break;
                    case columns::Col::owner: f.push_back(names.handle(c.owner)); break;
                    case columns::Col::tier: f.emplace_back(code(c.tier)); break;
                    case columns::Col::stage:
                        f.emplace_back(zh ? render::stage(c.stage, Lang::zh) : code(c.stage));
                        break;
                    case columns::Col::source: f.push_back(c.source); break;
                    case columns::Col::value: f.push_back(std::to_string(c.value)); break;
                    case columns::Col::tags: f.push_back(join(c.tags, ",")); break;
                    case columns::Col::next_followup: f.push_back(w.time(c.next_followup)); break;
                    case columns::Col::topic: {
                        std::string topic;  // the topic of the next follow-up
                        if (c.next_followup)
                            for (const auto& t : repo.open_tasks_for_customer(c.id))
                                if (t.due == *c.next_followup) {
                                    topic = topics::text(t.topic, w.lang);
                                    break;
                                }
                        f.push_back(topic);
                        break;
                    }
                    case columns::Col::read_only:
                        if (spec.en == "team") {
                            auto it = c.team ? names.teams.find(*c.team) : names.teams.end();
                            f.push_back(it == names.teams.end() ? std::string() : it->second);
                        } else if (spec.en == "last_contact") {
                            f.push_back(w.time(c.last_contact));
                        } else {
                            f.push_back(w.time(c.created_at));
                        }
                        break;
                }
            }
            w.record(f);
        }
        if (page.size() < kPage) break;
        q.after = page.back().id;
    }
}

void tasks(Repo& repo, std::optional<TeamId> scope, const Names& names, Writer& w) {
    const bool zh = w.lang == Lang::zh;
    w.header({{"id", "任务编号"},
              {"customer_id", "系统编号"},
              {"customer", "客户名称"},
              {"external_id", "外部编号"},
              {"assignee", "负责人"},
              {"due", "到期时间"},
              {"status", "状态"},
              {"method", "方式"},
              {"topic", "跟进内容"},
              {"priority", "优先级"},
              {"origin", "来源"},
              {"snoozes", "推迟次数"},
              {"done_at", "完成时间"}});
    std::map<CustomerId, std::optional<Customer>> cache;
    Repo::TaskQuery q;
    q.team = scope;
    q.limit = kPage;
    for (;;) {
        const auto page = repo.list_tasks(q);
        for (const auto& t : page) {
            auto it = cache.find(t.customer);
            if (it == cache.end()) it = cache.emplace(t.customer, repo.customer(t.customer)).first;
            const auto& c = it->second;
            w.record({std::to_string(t.id.value), cid(t.customer), c ? c->name : std::string(),
                      c ? c->external_id : std::string(), names.handle(t.assignee), w.time(t.due),
                      std::string(code(t.status)),
                      std::string(zh ? render::method(t.method, Lang::zh) : code(t.method)),
                      topics::text(t.topic, w.lang), std::string(code(t.priority)), std::string(code(t.origin)),
                      std::to_string(t.snooze_count), w.time(t.done_at)});
        }
        if (page.size() < kPage) break;
        q.after = page.back().id;
    }
}

void interactions(Repo& repo, std::optional<TeamId> scope, const Names& names, Writer& w) {
    const bool zh = w.lang == Lang::zh;
    w.header({{"id", "记录编号"},
              {"customer_id", "系统编号"},
              {"customer", "客户名称"},
              {"external_id", "外部编号"},
              {"user", "跟进人"},
              {"at", "时间"},
              {"method", "方式"},
              {"results", "结果"},
              {"note", "备注"},
              {"next_step", "下一步"},
              {"satisfaction", "满意度"}});
    std::map<CustomerId, std::optional<Customer>> cache;
    std::optional<InteractionId> after;
    for (;;) {
        const auto page = repo.list_interactions(scope, after, kPage);
        for (const auto& in : page) {
            auto it = cache.find(in.customer);
            if (it == cache.end()) it = cache.emplace(in.customer, repo.customer(in.customer)).first;
            const auto& c = it->second;
            w.record({std::to_string(in.id.value), cid(in.customer), c ? c->name : std::string(),
                      c ? c->external_id : std::string(), names.handle(in.user), w.time(in.at),
                      std::string(zh ? render::method(in.method, Lang::zh) : code(in.method)),
                      zh ? render::results(in.results, Lang::zh) : join(in.results, ","), in.note, in.next_step,
                      in.satisfaction ? std::to_string(*in.satisfaction) : std::string()});
        }
        if (page.size() < kPage) break;
        after = page.back().id;
    }
}

}  // namespace

std::string_view code(ExportKind k) {
    switch (k) {
        case ExportKind::customers: return "customers";
        case ExportKind::tasks: return "tasks";
        case ExportKind::interactions: return "interactions";
    }
    return "?";
}

std::string export_csv(Store& store, ExportKind kind, std::optional<TeamId> scope, UserId actor, TimePoint now) {
    return export_csv(store, kind, scope, actor, now, ExportOptions{});
}

std::string export_csv(Store& store, ExportKind kind, std::optional<TeamId> scope, UserId actor_id, TimePoint now,
                       const ExportOptions& opt) {
    std::string out;
    store.transact([&](Repo& repo) {
        const auto actor = repo.user(actor_id);
        if (!actor) throw ExportRefused("Unknown user: who exports?", "未知用户：由谁导出？");
        if (actor->role == Role::rep)
            throw ExportRefused("Only a manager (their team) or an admin may export.",
                                "只有主管（自己的团队）或管理员可以导出。");
        if (actor->role == Role::manager && (!scope || !actor->team || *scope != *actor->team))
            throw ExportRefused("A manager exports their own team only.", "主管只能导出自己的团队。");
        Names names;
        for (const auto& u : repo.users()) names.handles[u.id] = u.handle;
        for (const auto& t : repo.teams()) names.teams[t.id] = t.name;

        Writer w{opt.headers, render::zone_of(*actor)};
        switch (kind) {
            case ExportKind::customers: customers(repo, scope, names, w); break;
            case ExportKind::tasks: tasks(repo, scope, names, w); break;
            case ExportKind::interactions: interactions(repo, scope, names, w); break;
        }
        std::string where = "everything";
        if (scope) {
            auto it = names.teams.find(*scope);
            where = "team:" + std::to_string(scope->value) + (it == names.teams.end() ? "" : " " + it->second);
        }
        repo.append_audit(
            AuditEntry{{},
                       now,
                       actor->id,
                       "data.export",
                       "export:" + std::string(code(kind)),
                       std::string(code(kind)) + "; scope " + where + "; rows " + std::to_string(w.rows)});
        out = std::move(w.out);
    });
    return out;
}

}  // namespace fu::data
