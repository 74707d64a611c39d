// SqlRepo: signing in to the web chat — one-time secrets and sessions, by hash.
#include "storage/sql/queries.hpp"
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

void SqlRepo::add_sign_in_secret(const SignInSecret& x) {
    auto& s = statement(sql::kInsertSignInSecret);
    auto scope = s.use();
    s.bind(1, x.hash)
        .bind(2, x.user.value)
        .bind(3, x.kind)
        .bind(4, to_unix(x.created_at))
        .bind(5, to_unix(x.expires_at));
    s.run();
}

std::optional<UserId> SqlRepo::use_sign_in_secret(std::string_view hash, TimePoint now) {
    auto& s = statement(sql::kUseSignInSecret);
    auto scope = s.use();
    s.bind(1, to_unix(now)).bind(2, hash).bind(3, to_unix(now));
    if (s.step()) return UserId{s.column_int64(0)};
    return std::nullopt;
}

void SqlRepo::retire_sign_in_secrets(UserId user, std::string_view kind, TimePoint now) {
    auto& s = statement(sql::kRetireSignInSecrets);
    auto scope = s.use();
    s.bind(1, to_unix(now)).bind(2, user.value).bind(3, kind);
    s.run();
}

void SqlRepo::add_web_session(const WebSession& w) {
    auto& s = statement(sql::kInsertWebSession);
    auto scope = s.use();
    s.bind(1, w.hash).bind(2, w.user.value).bind(3, to_unix(w.created_at)).bind(4, to_unix(w.expires_at));
    s.run();
}

std::optional<WebSession> SqlRepo::web_session(std::string_view hash, TimePoint now) {
    auto& s = statement(sql::kSelectWebSession);
    auto scope = s.use();
    s.bind(1, hash).bind(2, to_unix(now));
    if (!s.step()) return std::nullopt;
    return WebSession{s.column_text(0), UserId{s.column_int64(1)}, from_unix(s.column_int64(2)),
                      from_unix(s.column_int64(3))};
}

void SqlRepo::end_web_session(std::string_view hash) {
    auto& s = statement(sql::kDeleteWebSession);
    auto scope = s.use();
    s.bind(1, hash);
    s.run();
}

void SqlRepo::purge_sign_ins(TimePoint before) {
    for (const auto text : {sql::kPurgeSignInSecrets, sql::kPurgeWebSessions}) {
        auto& s = statement(text);
        auto scope = s.use();
        s.bind(1, to_unix(before));
        s.run();
    }
}

}  // namespace fu::storage
