// SqlRepo: data in and out — customers by external id, REST API tokens.
#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/queries.hpp"
#include "storage/sql/rows.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

using detail::id_or_null;
using detail::time_or_null;

namespace {

void bind_api_token(SqlStatement& s, const ApiToken& t) {
    s.bind(1, t.name)
        .bind(2, t.hash)
        .bind(3, id_or_null(t.team))
        .bind(4, id_or_null(t.created_by))
        .bind(5, to_unix(t.created_at))
        .bind(6, time_or_null(t.revoked_at))
        .bind(7, time_or_null(t.last_used_at));
}

}  // namespace

std::optional<Customer> SqlRepo::customer_by_external_id(std::string_view external_id) {
    if (external_id.empty()) return std::nullopt;
    auto& s = statement(sql::kSelectCustomerByExternalId);
    auto scope = s.use();
    s.bind(1, external_id);
    if (s.step()) return customer_at(s);
    return std::nullopt;
}

std::string SqlRepo::keyed_fingerprint(std::string_view text) { return cipher_ ? cipher_->fingerprint(text) : ""; }

TokenId SqlRepo::add_api_token(const ApiToken& t) {
    auto& s = statement(sql::kInsertApiToken);
    auto scope = s.use();
    bind_api_token(s, t);
    return TokenId{inserted_id(s)};
}

void SqlRepo::update_api_token(const ApiToken& t) {
    auto& s = statement(sql::kUpdateApiToken);
    auto scope = s.use();
    bind_api_token(s, t);
    s.bind(8, t.id.value);
    expect_one_change(s.run(), "api token", t.id.value);
}

std::optional<ApiToken> SqlRepo::api_token(TokenId id) {
    auto& s = statement(sql::kSelectApiToken);
    auto scope = s.use();
    s.bind(1, id.value);
    if (s.step()) return read_api_token(s);
    return std::nullopt;
}

std::optional<ApiToken> SqlRepo::api_token_by_hash(std::string_view hash) {
    auto& s = statement(sql::kSelectApiTokenByHash);
    auto scope = s.use();
    s.bind(1, hash);
    if (s.step()) return read_api_token(s);
    return std::nullopt;
}

std::vector<ApiToken> SqlRepo::api_tokens() {
    auto& s = statement(sql::kSelectApiTokens);
    auto scope = s.use();
    std::vector<ApiToken> out;
    while (s.step()) out.push_back(read_api_token(s));
    return out;
}

std::vector<AuditEntry> SqlRepo::audit_search(const AuditQuery& q) {
    // One statement per combination of filters (at most 16), each cached.
    std::string sql = "SELECT id, at, actor_id, action, subject, detail FROM audit WHERE TRUE";
    if (q.actor) sql += " AND actor_id = :actor";
    if (!q.subject.empty()) sql += " AND subject = :subject";
    if (!q.action_prefix.empty()) sql += " AND substr(action, 1, length(:prefix)) = :prefix";
    if (q.before) sql += " AND id < :before";
    sql += " ORDER BY id DESC LIMIT :limit";
    auto& s = statement(sql);
    auto scope = s.use();
    int i = 1;
    if (q.actor) s.bind(i++, q.actor->value);
    if (!q.subject.empty()) s.bind(i++, q.subject);
    if (!q.action_prefix.empty()) s.bind(i++, q.action_prefix);
    if (q.before) s.bind(i++, q.before->value);
    s.bind(i, detail::sql_limit(q.limit));
    std::vector<AuditEntry> out;
    while (s.step()) out.push_back(read_audit(s));
    return out;
}

}  // namespace fu::storage
