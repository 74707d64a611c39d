// SqlRepo: retention — bounded deletes of what is kept only for a while
// (core/ports/retention.hpp). One statement per batch, written once for both engines.
#include "storage/sql/queries.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {
namespace {

std::size_t prune(SqlStatement& s, TimePoint before, std::size_t limit) {
    if (limit == 0) return 0;
    auto scope = s.use();
    s.bind(1, to_unix(before)).bind(2, detail::sql_limit(limit));
    return static_cast<std::size_t>(s.run());
}

}  // namespace

std::size_t SqlRepo::prune_seen_events(TimePoint before, std::size_t limit) {
    return prune(statement(sql::kPruneSeenEvents), before, limit);
}

std::size_t SqlRepo::prune_outbox(TimePoint before, std::size_t limit) {
    return prune(statement(sql::kPruneOutbox), before, limit);
}

std::size_t SqlRepo::prune_audit(TimePoint before, std::size_t limit) {
    if (limit == 0) return 0;
    {
        // Recorded first, in the same transaction: the delete trigger lets
        // through only entries older than this.
        auto& s = statement(sql::kRaiseAuditCutoff);
        auto scope = s.use();
        s.bind(1, to_unix(before)).run();
    }
    return prune(statement(sql::kPruneAudit), before, limit);
}

std::size_t SqlRepo::prune_sign_ins(TimePoint before, std::size_t limit) {
    const std::size_t secrets = prune(statement(sql::kPruneSignInSecrets), before, limit);
    return secrets + prune(statement(sql::kPruneWebSessions), before, limit - secrets);
}

}  // namespace fu::storage
