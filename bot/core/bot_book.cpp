// The customer book: long replies in pages (`more`) and `find`.
#include <algorithm>
#include <limits>

#include "core/bot_internal.hpp"
#include "core/paging.hpp"

namespace fu::detail {
namespace {

std::string more_line(Lang lang, int left) {
    const auto n = std::to_string(left);
    return lang == Lang::zh ? "\n…… 还有 " + n + " 条 —— 发送「下一页」" : "\n… " + n + " more — type 'more'";
}
std::string more_line(const Ctx& ctx, int left) { return more_line(ctx.lang, left); }

Button more_button(Lang lang, int left) {
    const auto n = std::to_string(left);
    return lang == Lang::zh ? Button{"▶ 下一页（还有 " + n + " 条）", "下一页"}
                            : Button{"▶ More (" + n + " left)", "more"};
}
Button more_button(const Ctx& ctx, int left) { return more_button(ctx.lang, left); }

// The first page of `text` in `budget`; the rest saved as `to`'s list for `more`,
// and the count of lines left (0: it fitted, nothing saved).
std::pair<std::string, int> cut_pages(Repo& repo, UserId to, std::string_view text, std::size_t budget) {
    auto pages = paging::paginate(text, budget);
    if (pages.size() == 1) return {std::move(pages.front().text), 0};
    std::vector<ListPage> rest;
    int left = 0;
    for (std::size_t i = 1; i < pages.size(); ++i) {
        left += pages[i].lines;
        rest.push_back(ListPage{std::move(pages[i].text), pages[i].lines});
    }
    repo.save_pages(to, rest);
    return {std::move(pages.front().text), left};
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool contains(std::string_view hay, std::string_view lower_needle) {
    return lower(hay).find(lower_needle) != std::string::npos;
}

std::string digits_of(std::string_view s) {
    std::string out;
    for (const char c : s)
        if (c >= '0' && c <= '9') out += c;
    return out;
}

bool matches(const Customer& c, const cmd::Find& f, const std::vector<std::string>& words) {
    if (f.tier && c.tier != *f.tier) return false;
    if (f.stage && c.stage != *f.stage) return false;
    if (!f.digits.empty()) {
        const auto phone = digits_of(c.phone);
        for (const auto& d : f.digits)
            if (phone.find(d) == std::string::npos) return false;
    }
    for (const auto& w : words) {
        bool hit = contains(c.name, w) || contains(c.company, w);
        for (const auto& tag : c.tags) hit = hit || contains(tag, w);
        if (!hit) return false;
    }
    return true;
}

// Everyone's customers a command may act on (can_act_on_customer): a rep's
// own; a manager's, their team's and the public pool; an admin's, all. In id order.
std::vector<Customer> visible_customers(Ctx& ctx) {
    std::vector<Customer> out;
    constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();
    if (ctx.me.role == Role::admin) {
        CustomerStore::CustomerQuery q;
        q.limit = 1000;
        while (true) {
            auto batch = ctx.repo.list_customers(q);
            if (batch.empty()) break;
            q.after = batch.back().id;
            out.insert(out.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
        }
        return out;
    }
    out = ctx.repo.customers_owned_by(ctx.me.id);
    if (ctx.me.role == Role::manager) {
        if (ctx.me.team)
            for (const auto& m : ctx.repo.team_members(*ctx.me.team)) {
                if (m.id == ctx.me.id) continue;
                auto theirs = ctx.repo.customers_owned_by(m.id);
                out.insert(out.end(), std::make_move_iterator(theirs.begin()), std::make_move_iterator(theirs.end()));
            }
        auto pool = ctx.repo.pool_customers(std::nullopt, kAll);
        out.insert(out.end(), std::make_move_iterator(pool.begin()), std::make_move_iterator(pool.end()));
        std::sort(out.begin(), out.end(), [](const Customer& a, const Customer& b) { return a.id.value < b.id.value; });
    }
    return out;
}

}  // namespace

Reply first_page(Ctx& ctx, Reply reply, std::size_t page_bytes, bool list) {
    auto [first, left] = cut_pages(ctx.repo, ctx.me.id, reply.text, page_bytes);
    if (left == 0) {
        if (list) ctx.repo.save_pages(ctx.me.id, {});  // the last list is this one: nothing more
        return reply;
    }
    Reply out{std::move(first) + more_line(ctx, left), std::move(reply.buttons)};
    out.buttons.push_back(more_button(ctx, left));
    return out;
}

OutboxMessage fit_to_page(Repo& repo, const BotOptions& opt, const User& to, OutboxMessage m) {
    // The web chat has no platform limit of its own: its page size, as for replies.
    auto [first, left] = cut_pages(repo, to.id, m.text, opt.page_bytes_for(to.notify_platform));
    if (left == 0) return m;
    m.text = std::move(first) + more_line(to.lang, left);
    m.buttons.push_back(more_button(to.lang, left));
    return m;
}

Reply run(Ctx& ctx, const cmd::More&) {
    auto page = ctx.repo.take_page(ctx.me.id);
    if (!page)
        return {ctx.t("Nothing more to show: your last list has been shown to its end.",
                      "没有更多了：上一个列表已经全部显示。"),
                {}};
    Reply out{std::move(page->text), {}};
    if (const int left = ctx.repo.lines_left(ctx.me.id); left > 0) {
        out.text += more_line(ctx, left);
        out.buttons.push_back(more_button(ctx, left));
    } else {
        out.text += ctx.t("\n— end of the list", "\n—— 列表结束");
    }
    return out;
}

// Phone digits are matched after the repository has opened the contacts, on
// the customers the user may see: the cost is the user's own book (a rep's
// thousands of customers take milliseconds), nothing about a phone number is
// stored in the clear or as a guessable hash, and every word narrows the same
// list. An admin searching every customer reads them all; a keyed index of
// digit suffixes would serve that case if books grow past what a read of them
// costs.
Reply run(Ctx& ctx, const cmd::Find& f) {
    std::vector<std::string> words;
    for (const auto& w : f.words) words.push_back(lower(w));
    std::vector<Customer> hits;
    for (auto& c : visible_customers(ctx))
        if (matches(c, f, words)) hits.push_back(std::move(c));
    if (hits.empty())
        return {ctx.t("No customer of yours matches '" + f.query + "'. Send 'customers' to list them.",
                      "你的客户中没有匹配「" + f.query + "」的。发送「我的客户」查看列表。"),
                {}};
    const auto n = std::to_string(hits.size());
    std::string text =
        ctx.t("🔎 " + n + " customer(s) match '" + f.query + "':", "🔎 匹配「" + f.query + "」的客户（" + n + "）：");
    for (const auto& c : hits) {
        text += "\n  " + customer_summary(ctx, c);
        if (c.owner && *c.owner != ctx.me.id)
            text += " · " + user_name(ctx.repo, *c.owner);
        else if (!c.owner)
            text += ctx.t(" · public pool", " · 公海");
    }
    return {text, {}};
}

}  // namespace fu::detail
