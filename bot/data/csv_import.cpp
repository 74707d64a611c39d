// CSV import of customers (see csv_import.hpp and docs/CSV.md): decode,
// parse, map the headers, validate every cell against the database, then
// apply in batches — or, for a dry run, apply in one transaction rolled back.
#include "data/csv_import.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/import_apply.hpp"
#include "core/render.hpp"
#include "core/topics.hpp"
#include "data/csv_columns.hpp"
#include "data/csv_text.hpp"

namespace fu::data {
namespace {

using columns::Col;
using imports::ImportRow;

struct Column {
    Col col;
    std::string header;  // as written in the file
};

struct Validator {
    Repo& repo;
    const User& actor;
    TimePoint now;
    const InputLimits& limits;
    ImportResult& result;
    std::vector<Column> cols;  // by position; read_only and blank headers too
    std::vector<User> users;
    std::unordered_map<std::string, std::size_t> by_handle;                // lower(handle) -> users index
    std::unordered_map<std::string, std::vector<std::size_t>> by_display;  // lower(display) -> indexes
    std::unordered_map<std::string, std::size_t> seen_keys;                // match key -> first row

    void problem(std::size_t row, std::string column, std::string en, std::string zh) {
        result.problems.push_back(ImportProblem{row, std::move(column), std::move(en), std::move(zh)});
    }

    const User* user(UserId id) const {
        for (const auto& u : users)
            if (u.id == id) return &u;
        return nullptr;
    }

    void index_users() {
        users = repo.users();
        for (std::size_t i = 0; i < users.size(); ++i) {
            by_handle[csv::lower(users[i].handle)] = i;
            by_display[csv::lower(csv::trim(users[i].display_name))].push_back(i);
        }
    }

    // The customer is within what the actor may change.
    bool in_scope(const Customer& c) const {
        if (actor.role == Role::admin) return true;
        if (!actor.team) return false;
        if (c.team == actor.team) return true;
        if (c.owner)
            if (const auto* u = user(*c.owner)) return u->team == actor.team;
        return false;
    }

    std::optional<ImportRow> row(const csv::Record& rec) {
        std::map<Col, std::pair<std::string, std::string>> cell;  // col -> (header, trimmed value)
        for (std::size_t i = 0; i < cols.size() && i < rec.cells.size(); ++i)
            if (cols[i].col != Col::read_only)
                cell[cols[i].col] = {cols[i].header, csv::unguard(csv::trim(rec.cells[i]))};
        const auto value = [&](Col c) -> std::string { return cell.contains(c) ? cell[c].second : std::string(); };
        const auto header = [&](Col c) -> std::string { return cell.contains(c) ? cell[c].first : std::string(); };
        const std::size_t before = result.problems.size();
        const std::size_t r = rec.row;

        for (std::size_t i = cols.size(); i < rec.cells.size(); ++i)
            if (!csv::trim(rec.cells[i]).empty()) {
                problem(
                    r, "#" + std::to_string(i + 1),
                    "This row has more cells than the header has columns (cell " + std::to_string(i + 1) +
                        "); check for an unquoted comma.",
                    "这一行的单元格比表头的列多（第" + std::to_string(i + 1) + "格）；请检查是否有未加引号的逗号。");
                break;
            }

        // Names and the like are one line in every list: longer cells are this row's problem.
        for (const Col c :
             {Col::name, Col::company, Col::phone, Col::email, Col::im, Col::source, Col::external_id, Col::topic}) {
            if (auto refusal = name_too_long(value(c), "cell", "该单元格", limits))
                problem(r, header(c), refusal->en, refusal->zh);
        }
        for (const auto& tag : columns::split_tags(value(Col::tags)))
            if (auto refusal = name_too_long(tag, "tag", "标签", limits)) {
                problem(r, header(Col::tags), refusal->en, refusal->zh);
                break;
            }

        ImportRow ir;
        ir.row = r;
        ir.name = value(Col::name);
        if (ir.name.empty())
            problem(r, header(Col::name), "The customer name is empty; every row needs one.",
                    "客户名称为空；每一行都必须填写。");
        auto text_field = [&](Col c, std::optional<std::string>& field) {
            if (auto v = value(c); !v.empty()) field = std::move(v);
        };
        text_field(Col::company, ir.company);
        text_field(Col::phone, ir.phone);
        text_field(Col::email, ir.email);
        text_field(Col::im, ir.im);
        text_field(Col::source, ir.source);
        if (ir.email && ir.email->find('@') == std::string::npos)
            problem(r, header(Col::email), "'" + *ir.email + "' is not an email address (name@example.com).",
                    "「" + *ir.email + "」不是邮箱地址（例如 name@example.com）。");

        if (auto v = value(Col::owner); !v.empty()) {
            const auto key = csv::lower(v);
            if (key == "pool" || key == "public pool" || v == "公海") {
                ir.owner = std::optional<UserId>{};
            } else {
                const User* u = nullptr;
                if (auto it = by_handle.find(key); it != by_handle.end())
                    u = &users[it->second];
                else if (auto d = by_display.find(key); d != by_display.end()) {
                    if (d->second.size() == 1)
                        u = &users[d->second.front()];
                    else {
                        std::string handles;
                        for (auto i : d->second) handles += " " + users[i].handle;
                        problem(r, header(Col::owner),
                                "More than one user is called '" + v + "'; give the handle:" + handles,
                                "有多个用户叫「" + v + "」；请填写登录名：" + handles);
                    }
                }
                if (!u && !by_display.contains(key)) {
                    problem(r, header(Col::owner),
                            "Unknown owner '" + v + "': give a user's handle (wang) or display name, or 公海/pool.",
                            "未知的负责人「" + v + "」：请填写用户的登录名（如 wang）或显示名称，或「公海」。");
                } else if (u && actor.role != Role::admin && (!u->team || u->team != actor.team)) {
                    problem(r, header(Col::owner),
                            "'" + v + "' is not in your team; a manager imports customers for their own team only.",
                            "「" + v + "」不在你的团队；主管只能为自己团队导入客户。");
                } else if (u) {
                    ir.owner = std::optional<UserId>{u->id};
                }
            }
        }
        if (auto v = value(Col::tier); !v.empty()) {
            ir.tier = columns::parse_tier(v);
            if (!ir.tier)
                problem(r, header(Col::tier), "Unknown tier '" + v + "'. Accepted: A, B, C (VIP = A; A类, A级 too).",
                        "无法识别的客户分级「" + v + "」。可填：A、B、C（VIP 即 A；也可写 A类、A级）。");
        }
        if (auto v = value(Col::stage); !v.empty()) {
            ir.stage = columns::parse_stage(v);
            if (!ir.stage)
                problem(r, header(Col::stage),
                        "Unknown stage '" + v +
                            "'. Accepted: lead, new, active, silent, churn_risk, won, lost "
                            "(or 潜在, 新客户, 活跃, 沉默, 流失风险, 成交, 丢单).",
                        "无法识别的客户类型「" + v +
                            "」。可填：潜在、新客户、活跃、沉默、流失风险、成交、丢单"
                            "（或 lead, new, active, silent, churn_risk, won, lost）。");
        }
        if (auto v = value(Col::value); !v.empty()) {
            ir.value = columns::parse_value(v);
            if (!ir.value)
                problem(r, header(Col::value),
                        "'" + v + "' is not an amount. Accepted: 50000, 1,000, ¥1,000.00, 5万 (CNY, not negative).",
                        "「" + v + "」不是金额。可填：50000、1,000、¥1,000.00、5万（人民币，不能为负）。");
        }
        if (cell.contains(Col::tags) && !value(Col::tags).empty()) ir.tags = columns::split_tags(value(Col::tags));
        ir.topic = value(Col::topic);
        // An exported automatic topic comes back as its code, worded again for each reader.
        if (auto code = topics::code_of(ir.topic)) ir.topic = *code;

        // Which customer the row is: the external id, the exported customer
        // id, or a key derived from name, phone and company.
        std::string ext = value(Col::external_id);
        std::optional<Customer> existing;
        if (!ext.empty()) existing = repo.customer_by_external_id(ext);
        if (auto v = value(Col::customer_id); !v.empty() && !existing) {
            std::string_view digits = v;
            if (digits.starts_with('c') || digits.starts_with('C')) digits.remove_prefix(1);
            std::int64_t id = 0;
            bool ok = !digits.empty() && digits.size() < 18;
            for (const char ch : digits) {
                if (ch < '0' || ch > '9')
                    ok = false;
                else
                    id = id * 10 + (ch - '0');
            }
            if (!ok) {
                problem(r, header(Col::customer_id), "'" + v + "' is not a customer id (c42).",
                        "「" + v + "」不是系统编号（例如 c42）。");
            } else if (auto c = repo.customer(CustomerId{id}); c &&
                                                               csv::lower(csv::trim(c->name)) == csv::lower(ir.name) &&
                                                               (c->external_id.empty() || c->external_id == ext)) {
                existing = c;
                ir.match = c->id;
            }
        }
        const bool derived = ext.empty() && !ir.match;
        if (derived) {
            std::string phone_digits;
            for (const char ch : ir.phone.value_or(""))
                if (ch >= '0' && ch <= '9') phone_digits += ch;
            const std::string material =
                csv::lower(ir.name) + '\x1f' + phone_digits + '\x1f' + csv::lower(ir.company.value_or(""));
            // Keyed when the store has a contacts key: an unkeyed hash of a
            // phone number is undone by trying every number.
            const std::string unkeyed = "csv:" + csv::fnv1a_hex(material);
            const std::string keyed = repo.keyed_fingerprint(material);
            ext = keyed.empty() ? unkeyed : "csv:k" + keyed;
            existing = repo.customer_by_external_id(ext);
            if (!existing && !keyed.empty()) {
                // Imported before contacts were encrypted: matched by the unkeyed id, which this import replaces.
                existing = repo.customer_by_external_id(unkeyed);
                if (existing) {
                    ir.match = existing->id;
                    ir.previous_external_id = unkeyed;
                }
            }
        }
        ir.external_id = ext;
        if (existing && !in_scope(*existing))
            problem(r, derived ? header(Col::name) : header(Col::external_id),
                    "This customer (" + (ext.empty() ? "c" + std::to_string(existing->id.value) : ext) +
                        ") belongs to another team; a manager imports into their own team only.",
                    "该客户（" + (ext.empty() ? "c" + std::to_string(existing->id.value) : ext) +
                        "）属于其他团队；主管只能导入到自己的团队。");
        const std::string key = existing ? "c" + std::to_string(existing->id.value) : ext;
        if (!ir.name.empty()) {
            if (auto [it, fresh] = seen_keys.emplace(key, r); !fresh) {
                if (derived)
                    problem(r, header(Col::name),
                            "Same customer as row " + std::to_string(it->second) +
                                " (same name, phone and company); keep one row or give each an external id.",
                            "与第" + std::to_string(it->second) +
                                "行是同一个客户（名称、电话、公司都相同）；"
                                "请只保留一行，或为每行填写外部编号。");
                else
                    problem(r, ir.match ? header(Col::customer_id) : header(Col::external_id),
                            "Duplicate: row " + std::to_string(it->second) + " has the same customer (" + key +
                                "). Each customer may appear once.",
                            "重复：第" + std::to_string(it->second) + "行是同一个客户（" + key +
                                "）。每个客户只能出现一次。");
            }
        }

        // The next follow-up, in its owner's time zone.
        if (auto v = value(Col::next_followup); !v.empty()) {
            std::optional<UserId> owner = existing ? existing->owner : std::nullopt;
            if (ir.owner) owner = *ir.owner;
            const User* who = owner ? user(*owner) : nullptr;
            const User& zone_of = who ? *who : actor;
            const Stage stage = ir.stage.value_or(existing ? existing->stage : Stage::lead);
            const auto at = csv::parse_time(v, render::zone_of(zone_of), zone_of.day_start_minute());
            if (!at) {
                problem(r, header(Col::next_followup),
                        "'" + v +
                            "' is not a date or time. Accepted: 2026-11-25, 2026/11/25 15:00, "
                            "2026-11-25T15:00, 2026年11月25日 15:00 (the owner's time zone unless it ends with an "
                            "offset such as +08:00; a date alone means the start of the working day).",
                        "「" + v +
                            "」不是日期或时间。可填：2026-11-25、2026/11/25 15:00、2026-11-25T15:00、"
                            "2026年11月25日 15:00（按负责人的时区，除非带有时差如 +08:00；只写日期即当天上班时间）。");
            } else if (!owner) {
                problem(r, header(Col::next_followup), "A next follow-up needs an owner: fill in the owner column.",
                        "下次跟进需要负责人：请填写负责人一列。");
            } else if (stage == Stage::won || stage == Stage::lost) {
                problem(r, header(Col::next_followup),
                        "A won or lost customer has no next follow-up: leave the cell empty or change the stage.",
                        "已成交或丢单的客户没有下次跟进：请留空，或修改客户类型。");
            } else {
                bool known = false;
                if (*at < now && existing)
                    for (const auto& t : repo.open_tasks_for_customer(existing->id)) known = known || t.due == *at;
                if (*at < now && !known)
                    problem(
                        r, header(Col::next_followup),
                        "'" + v + "' is in the past; give a future time, or leave it empty and the cadence picks one.",
                        "「" + v + "」已经过去；请填写将来的时间，或留空由跟进频率自动安排。");
                else
                    ir.next_followup = *at;
            }
        }
        if (result.problems.size() != before) return std::nullopt;
        return ir;
    }
};

struct Rollback {};

void add(ImportResult& total, const ImportResult& part) {
    total.created += part.created;
    total.updated += part.updated;
    total.unchanged += part.unchanged;
    total.followups += part.followups;
}

void apply(Repo& repo, const BotOptions& opt, const User& actor, TimePoint now, const ImportRow& row,
           ImportResult& counts) {
    const auto done = imports::apply_import_row(repo, opt, actor, now, row);
    switch (done.outcome) {
        case imports::RowOutcome::created: ++counts.created; break;
        case imports::RowOutcome::updated: ++counts.updated; break;
        case imports::RowOutcome::unchanged: ++counts.unchanged; break;
    }
    counts.followups += static_cast<std::size_t>(done.followups);
}

}  // namespace

ImportResult import_customers(Store& store, const BotOptions& opt, TimePoint now, std::string_view bytes,
                              const ImportOptions& o) {
    ImportResult result;
    auto file_problem = [&](std::size_t row, std::string column, std::string en, std::string zh) {
        result.problems.push_back(ImportProblem{row, std::move(column), std::move(en), std::move(zh)});
        return result;
    };

    auto decoded = csv::decode(bytes);
    if (decoded.encoding.empty())
        return file_problem(0, "", "The file is neither UTF-8 nor GBK/GB18030 text; save it as CSV UTF-8.",
                            "文件既不是 UTF-8 也不是 GBK/GB18030 文本；请另存为「CSV UTF-8」格式。");
    result.encoding = decoded.encoding;

    auto parsed = csv::parse(decoded.text);
    if (parsed.records.empty() && !parsed.error_row)
        return file_problem(0, "", "The file is empty: it needs a header row and one row per customer.",
                            "文件是空的：需要一行表头，每个客户一行。");
    if (parsed.error_row) {
        const auto row = std::to_string(*parsed.error_row);
        if (parsed.unterminated)
            file_problem(*parsed.error_row, "",
                         "Row " + row +
                             ": a quoted cell is never closed (a \" without its closing \"); "
                             "nothing after it can be read.",
                         "第" + row + "行：有引号开始的单元格没有结束（缺少配对的 \"）；其后的内容无法读取。");
        else
            file_problem(*parsed.error_row, "",
                         "Row " + row +
                             " is not valid CSV: a quote inside a cell must be doubled (\"\") and the "
                             "cell quoted; nothing after it can be read.",
                         "第" + row +
                             "行不是有效的 CSV：单元格内的引号必须写成两个（\"\"）并给整个单元格加引号；"
                             "其后的内容无法读取。");
    }
    if (parsed.records.empty()) return result;

    std::optional<User> actor;
    store.transact([&](Repo& repo) { actor = repo.user(o.actor); });
    if (!actor) return file_problem(0, "", "Unknown user: who imports?", "未知用户：由谁导入？");
    if (actor->role == Role::rep || (actor->role == Role::manager && !actor->team))
        return file_problem(0, "", "Only a manager (for their team) or an admin may import customers.",
                            "只有主管（为自己的团队）或管理员可以导入客户。");

    // The header: every column known, none twice, the name present.
    const auto& header = parsed.records.front();
    std::vector<Column> cols;
    std::map<Col, std::string> seen;
    for (std::size_t i = 0; i < header.cells.size(); ++i) {
        const std::string raw = csv::trim(header.cells[i]);
        if (raw.empty()) {
            bool data = false;
            for (std::size_t k = 1; k < parsed.records.size() && !data; ++k)
                data = i < parsed.records[k].cells.size() && !csv::trim(parsed.records[k].cells[i]).empty();
            if (data)
                file_problem(1, "#" + std::to_string(i + 1),
                             "Column " + std::to_string(i + 1) + " has data but no header.",
                             "第" + std::to_string(i + 1) + "列有数据但没有表头。");
            cols.push_back(Column{Col::read_only, raw});
            continue;
        }
        const auto col = columns::find(raw);
        if (!col) {
            file_problem(1, raw, "Unknown column '" + raw + "'. Known columns: " + columns::known_list() + ".",
                         "无法识别的列「" + raw + "」。可用的列：" + columns::known_list() + "。");
            cols.push_back(Column{Col::read_only, raw});
            continue;
        }
        if (*col != Col::read_only) {
            if (auto [it, fresh] = seen.emplace(*col, raw); !fresh)
                file_problem(1, raw, "Column '" + raw + "' means the same as '" + it->second + "'; keep one.",
                             "列「" + raw + "」与「" + it->second + "」含义相同；请只保留一列。");
        }
        cols.push_back(Column{*col, raw});
    }
    if (!seen.contains(Col::name))
        return file_problem(1, "客户名称/name", "The required column 客户名称/name (the customer's name) is missing.",
                            "缺少必填列「客户名称」(name)。");

    // Every row, against the database as it is now.
    std::vector<ImportRow> rows;
    store.transact([&](Repo& repo) {
        Validator v{repo, *actor, now, opt.limits, result, cols, {}, {}, {}, {}};
        v.index_users();
        for (std::size_t k = 1; k < parsed.records.size(); ++k) {
            const auto& rec = parsed.records[k];
            const bool blank = std::all_of(rec.cells.begin(), rec.cells.end(),
                                           [](const std::string& c) { return csv::trim(c).empty(); });
            if (blank) continue;
            ++result.rows;
            if (auto row = v.row(rec)) rows.push_back(std::move(*row));
        }
    });
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const ImportProblem& a, const ImportProblem& b) { return a.row < b.row; });
    if (!result.problems.empty()) return result;

    const std::size_t batch = o.batch == 0 ? 500 : o.batch;
    const std::size_t total = rows.size();
    if (o.dry_run) {
        // The real thing, rolled back: exact counts, nothing changed.
        try {
            store.transact([&](Repo& repo) {
                for (std::size_t i = 0; i < total; ++i) {
                    apply(repo, opt, *actor, now, rows[i], result);
                    if (o.progress && ((i + 1) % batch == 0 || i + 1 == total)) o.progress(i + 1, total);
                }
                throw Rollback{};
            });
        } catch (const Rollback&) {
        }
        return result;
    }

    for (std::size_t from = 0; from < total; from += batch) {
        const std::size_t to = std::min(total, from + batch);
        ImportResult part;
        try {
            store.transact([&](Repo& repo) {
                for (std::size_t i = from; i < to; ++i) apply(repo, opt, *actor, now, rows[i], part);
                repo.append_audit(AuditEntry{
                    {},
                    now,
                    actor->id,
                    "data.import",
                    "import",
                    "rows " + std::to_string(rows[from].row) + "-" + std::to_string(rows[to - 1].row) + " of " +
                        std::to_string(total) + ": created " + std::to_string(part.created) + ", updated " +
                        std::to_string(part.updated) + ", unchanged " + std::to_string(part.unchanged) +
                        ", follow-ups " + std::to_string(part.followups) + " (" + result.encoding + ")"});
            });
        } catch (const std::exception& e) {
            // Only when the database changed since validation: batches before this one stay.
            const auto row = std::to_string(rows[from].row);
            result.applied = from > 0;
            return file_problem(rows[from].row, "",
                                "The batch starting at row " + row + " could not be written (" + e.what() +
                                    "); rows before it were imported. Import the file again to finish.",
                                "从第" + row + "行开始的一批无法写入（" + e.what() +
                                    "）；之前的行已导入。"
                                    "请再次导入该文件以完成。");
        }
        add(result, part);
        if (o.progress) o.progress(to, total);
    }
    result.applied = true;
    return result;
}

}  // namespace fu::data
