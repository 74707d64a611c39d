#include "storage/postgres/pg.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/store.hpp"
#include "storage/postgres/dialect.hpp"

namespace fu::storage::pg {
namespace {

constexpr unsigned kBoolOid = 16;  // pg_type.h: BOOLOID

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// The server's message for a failed result (or the connection's, when there
// is no result: the connection is gone).
std::string error_of(pg_conn* conn, const pg_result* res) {
    if (res) {
        if (const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) {
            std::string msg = primary;
            if (const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE)) msg += std::string(" [") + state + "]";
            return msg;
        }
        if (const char* m = PQresultErrorMessage(res); m && *m) return trimmed(m);
    }
    return trimmed(PQerrorMessage(conn));
}

// A transaction that lost to another (a deadlock PostgreSQL broke, a
// serialization failure): running it again may succeed (core/store.hpp).
class Conflict final : public StorageError, public StoreConflict {
public:
    using StorageError::StorageError;
};

[[noreturn]] void fail(pg_conn* conn, pg_result* res, std::string_view sql) {
    std::string msg = error_of(conn, res);
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const bool conflict = state && (std::string_view(state) == "40P01" || std::string_view(state) == "40001");
    PQclear(res);
    msg = "postgres: " + msg + " (in: " + first_words(sql) + ")";
    if (conflict) throw Conflict(msg);
    throw StorageError(msg);
}

}  // namespace

// --- Connection -----------------------------------------------------------------

Connection::Connection(const std::string& url, std::string_view key) : url_(url) {
    char* parse_error = nullptr;
    PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &parse_error);
    if (!parsed) {
        std::string msg = parse_error ? trimmed(parse_error) : "out of memory";
        PQfreemem(parse_error);
        throw StorageError(std::string(key) + ": not a PostgreSQL connection URL: " + msg);
    }
    PQconninfoFree(parsed);
    // Defaults first: what the URL says wins (expand_dbname).
    const char* keys[] = {"connect_timeout", "fallback_application_name", "client_encoding", "dbname", nullptr};
    const char* values[] = {"10", "followupd", "UTF8", url.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        std::string msg = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
        PQfinish(conn_);
        conn_ = nullptr;
        throw StorageError(std::string(key) + ": cannot connect to PostgreSQL: " + msg);
    }
    // The server's notices (a schema that did not exist, a cascade) are not
    // errors; libpq would print them on stderr.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    generation_ = 1;
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::exec(std::string_view sql) {
    pg_result* res = PQexec(conn_, std::string(sql).c_str());
    const auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn_, res, sql);
    PQclear(res);
}

void Connection::commit() {
    pg_result* res = PQexec(conn_, "COMMIT");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) fail(conn_, res, "COMMIT");
    // COMMIT of a transaction that had failed answers ROLLBACK, not an error.
    const bool rolled_back = std::string_view(PQcmdStatus(res)) == "ROLLBACK";
    PQclear(res);
    if (rolled_back) throw StorageError("postgres: the transaction failed and was rolled back");
}

void Connection::rollback_quietly() {
    if (broken() || !in_transaction()) return;
    PQclear(PQexec(conn_, "ROLLBACK"));
}

bool Connection::in_transaction() const {
    const auto s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

bool Connection::in_failed_transaction() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

bool Connection::broken() const { return PQstatus(conn_) != CONNECTION_OK; }

void Connection::reconnect() {
    PQreset(conn_);  // keeps the notice processor
    if (PQstatus(conn_) != CONNECTION_OK)
        throw StorageError("postgres: the connection was lost and cannot be made again: " +
                           trimmed(PQerrorMessage(conn_)));
    ++generation_;
}

int Connection::socket() const { return PQsocket(conn_); }

std::vector<std::string> Connection::notifications() {
    if (PQconsumeInput(conn_) == 0)
        throw StorageError("postgres: the listening connection was lost: " + trimmed(PQerrorMessage(conn_)));
    std::vector<std::string> out;
    while (PGnotify* n = PQnotifies(conn_)) {
        out.emplace_back(n->extra ? n->extra : "");
        PQfreemem(n);
    }
    return out;
}

// --- Statement ------------------------------------------------------------------

Statement::Statement(Connection& c, std::string_view sql, bool prepared)
    : c_(c), sql_(sql), name_(prepared ? c.statement_name() : std::string()) {
    Translated t = to_postgres(sql_);
    pg_sql_ = std::move(t.sql);
    params_ = t.params;
    constexpr unsigned kTextOid = 25;  // pg_type.h: TEXTOID
    for (bool used : t.used) types_.push_back(used ? 0 : kTextOid);
    values_.resize(static_cast<std::size_t>(params_));
    set_.assign(static_cast<std::size_t>(params_), 0);
}

Statement::~Statement() {
    PQclear(result_);
    if (prepared_in_ == c_.generation() && !c_.broken() && PQtransactionStatus(c_.handle()) == PQTRANS_IDLE)
        PQclear(PQexec(c_.handle(), ("DEALLOCATE " + name_).c_str()));
}

std::string& Statement::slot(int index) {
    if (index < 1 || index > params_)
        throw StorageError("postgres: no parameter " + std::to_string(index) + " (in: " + first_words(sql_) + ")");
    set_[static_cast<std::size_t>(index - 1)] = 1;
    return values_[static_cast<std::size_t>(index - 1)];
}

Statement& Statement::bind(int index, std::int64_t value) {
    slot(index) = std::to_string(value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    slot(index).assign(value);
    return *this;
}

Statement& Statement::bind_null(int index) {
    slot(index);
    set_[static_cast<std::size_t>(index - 1)] = 0;
    return *this;
}

void Statement::execute() {
    pg_conn* conn = c_.handle();
    if (!name_.empty() && prepared_in_ != c_.generation()) {
        pg_result* res = PQprepare(conn, name_.c_str(), pg_sql_.c_str(), params_, types_.data());
        if (PQresultStatus(res) != PGRES_COMMAND_OK) fail(conn, res, sql_);
        PQclear(res);
        prepared_in_ = c_.generation();
    }
    std::vector<const char*> values(static_cast<std::size_t>(params_));
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = set_[i] ? values_[i].c_str() : nullptr;
    pg_result* res =
        name_.empty() ? PQexecParams(conn, pg_sql_.c_str(), params_, types_.data(), values.data(), nullptr, nullptr, 0)
                      : PQexecPrepared(conn, name_.c_str(), params_, values.data(), nullptr, nullptr, 0);
    const auto status = PQresultStatus(res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(conn, res, sql_);
    result_ = res;
    rows_ = status == PGRES_TUPLES_OK ? PQntuples(res) : 0;
    row_ = -1;
}

bool Statement::step() {
    if (!result_) execute();
    if (row_ + 1 >= rows_) {
        row_ = rows_;
        return false;
    }
    ++row_;
    return true;
}

std::int64_t Statement::run() {
    auto scope = use();
    execute();
    const char* tuples = PQcmdTuples(result_);
    return tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
}

void Statement::reset() {
    PQclear(result_);
    result_ = nullptr;
    row_ = -1;
    rows_ = 0;
    std::fill(set_.begin(), set_.end(), 0);
}

bool Statement::column_is_null(int index) const {
    if (!result_ || row_ < 0 || row_ >= rows_ || index < 0 || index >= PQnfields(result_)) return true;
    return PQgetisnull(result_, row_, index) != 0;
}

std::string Statement::column_text(int index) const {
    if (column_is_null(index)) return {};
    return std::string(PQgetvalue(result_, row_, index), static_cast<std::size_t>(PQgetlength(result_, row_, index)));
}

std::int64_t Statement::column_int64(int index) const {
    if (column_is_null(index)) return 0;
    const char* v = PQgetvalue(result_, row_, index);
    const auto n = static_cast<std::size_t>(PQgetlength(result_, row_, index));
    if (PQftype(result_, index) == kBoolOid) return v[0] == 't' ? 1 : 0;
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(v, v + n, out);
    if (ec != std::errc() || end != v + n)
        throw StorageError("postgres: column " + std::to_string(index) + " is not an integer: '" + std::string(v, n) +
                           "' (in: " + first_words(sql_) + ")");
    return out;
}

// --- StatementCache ---------------------------------------------------------------

Statement& StatementCache::get(std::string_view sql) {
    if (auto it = statements_.find(sql); it != statements_.end()) return *it->second;
    auto stmt = std::make_unique<Statement>(c_, sql, true);
    Statement& ref = *stmt;
    statements_.emplace(std::string_view(ref.sql()), std::move(stmt));
    return ref;
}

}  // namespace fu::storage::pg
