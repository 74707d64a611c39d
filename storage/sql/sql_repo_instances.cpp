// SqlRepo: the instances sharing one database — the leader's lease, the
// instances' heartbeats and the chats' turns (core/ports/instances.hpp). Written once for both
// engines; on SQLite one process has the database, so the server does not use
// it there, but the contract holds the same.
#include "storage/sql/queries.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

bool SqlRepo::hold_lease(std::string_view name, std::string_view holder, TimePoint now, TimePoint until) {
    auto& s = statement(sql::kHoldLease);
    auto scope = s.use();
    s.bind(1, name).bind(2, holder).bind(3, to_unix(now)).bind(4, to_unix(until));
    return s.run() == 1;
}

void SqlRepo::release_lease(std::string_view name, std::string_view holder) {
    auto& s = statement(sql::kReleaseLease);
    auto scope = s.use();
    s.bind(1, name).bind(2, holder).run();
}

std::size_t SqlRepo::heartbeat(std::string_view id, TimePoint now, TimePoint dead_before) {
    {
        auto& s = statement(sql::kInstanceSeen);
        auto scope = s.use();
        s.bind(1, id).bind(2, to_unix(now)).run();
    }
    {
        auto& s = statement(sql::kForgetDeadInstances);
        auto scope = s.use();
        s.bind(1, to_unix(dead_before)).run();
    }
    {
        auto& s = statement(sql::kForgetChatTurns);
        auto scope = s.use();
        s.bind(1, std::int64_t{to_unix(dead_before)} * 1000).run();
    }
    auto& s = statement(sql::kCountInstances);
    auto scope = s.use();
    return s.step() ? static_cast<std::size_t>(s.column_int64(0)) : 0;
}

ChatTurn SqlRepo::take_chat_turn(std::string_view platform, std::string_view chat, PreciseTime now,
                                 std::chrono::milliseconds interval, std::chrono::milliseconds slack) {
    const std::int64_t ms = now.time_since_epoch().count();
    {
        auto& s = statement(sql::kTakeChatTurn);
        auto scope = s.use();
        s.bind(1, platform)
            .bind(2, chat)
            .bind(3, ms)
            .bind(4, ms + slack.count())
            .bind(5, std::int64_t{interval.count()});
        s.bind(6, ms + interval.count());
        if (s.step()) return ChatTurn{true, PreciseTime{std::chrono::milliseconds{s.column_int64(0)}} - interval};
    }
    auto& s = statement(sql::kChatFreeAt);
    auto scope = s.use();
    s.bind(1, platform).bind(2, chat);
    return ChatTurn{false, s.step() ? PreciseTime{std::chrono::milliseconds{s.column_int64(0)}} : now};
}

void SqlRepo::instance_stopped(std::string_view id) {
    auto& s = statement(sql::kInstanceStopped);
    auto scope = s.use();
    s.bind(1, id).run();
}

}  // namespace fu::storage
