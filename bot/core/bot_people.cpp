// People named in commands (assign, customer add owner=, overdue, handover,
// link, audit): one rule for all of them, so that what works in one command
// works in every other.
#include <algorithm>

#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "Wang Wei @wang · Maria @maria"
std::string listing(const std::vector<User>& people, std::size_t max = 12) {
    std::string out;
    for (std::size_t i = 0; i < people.size() && i < max; ++i)
        out += (i ? " · " : " ") + people[i].display_name + " @" + people[i].handle;
    if (people.size() > max) out += " · …";
    return out;
}

}  // namespace

User resolve_person(Ctx& ctx, std::string_view who, const std::vector<User>& among, PersonScope scope) {
    while (who.starts_with('@')) who.remove_prefix(1);
    const std::string wanted = lower(who);
    auto pick = [&](auto&& match) {
        std::vector<User> found;
        for (const auto& u : among)
            if (match(u)) found.push_back(u);
        return found;
    };
    // A handle is unique; then a whole display name; then a part of a name or a
    // handle ("王伟" for "王伟 Wang Wei", "wei" for "Wang Wei").
    std::vector<User> found = pick([&](const User& u) { return lower(u.handle) == wanted; });
    if (found.empty()) found = pick([&](const User& u) { return lower(u.display_name) == wanted; });
    if (found.empty() && !wanted.empty())
        found = pick([&](const User& u) {
            return lower(u.display_name).find(wanted) != std::string::npos ||
                   lower(u.handle).find(wanted) != std::string::npos;
        });
    if (found.size() == 1) return found.front();
    const std::string w(who);
    if (found.size() > 1)
        ctx.fail("Several people match '" + w + "'; use the handle:" + listing(found),
                 "有多人匹配「" + w + "」，请用账号：" + listing(found));
    if (scope == PersonScope::everyone)
        ctx.fail("There is no user '" + w + "'. Name them by handle (e.g. wang) or display name.",
                 "没有用户「" + w + "」。请写账号（例如 wang）或姓名。");
    ctx.fail("No rep '" + w + "' in your team. Team members:" + listing(among),
             "你的团队里没有「" + w + "」。团队成员：" + listing(among));
}

std::vector<User> people_in_reach(Ctx& ctx) {
    if (ctx.me.role == Role::admin) return ctx.repo.users();
    if (ctx.me.role == Role::manager && ctx.me.team) return ctx.repo.team_members(*ctx.me.team);
    return {ctx.me};
}

}  // namespace fu::detail
