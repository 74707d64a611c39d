#pragma once
// Thin RAII wrappers over libpq, in the shape of the SQLite ones
// (storage/sqlite/db.hpp). libpq-fe.h stays out of headers.
//
// A Statement is prepared on the server the first time it runs (a named
// prepared statement, reused for the life of the session) and always goes
// through a Scope, which drops its result and bindings however the use ends.
// Its SQL comes in the engines' shared form (storage/sql/statement.hpp) and is
// turned into PostgreSQL's by dialect.hpp.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/sql/statement.hpp"

struct pg_conn;
struct pg_result;

namespace fu::storage::pg {

class Connection {
public:
    // Connects to `url` (a postgresql:// URL or a key=value string; the
    // password may come from PGPASSWORD or a pgpass file, as for psql).
    // Throws StorageError naming `key` (the config key the URL came from).
    Connection(const std::string& url, std::string_view key = "storage.url");
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Runs one or more statements without parameters or results.
    void exec(std::string_view sql);
    // COMMIT; throws StorageError if the transaction had failed (PostgreSQL
    // then rolls back and says so only in the command tag).
    void commit();
    // ROLLBACK, ignoring errors (after a failure, from destructors).
    void rollback_quietly();
    // Whether a transaction is open (failed or not) on a live connection.
    bool in_transaction() const;
    // Whether the open transaction failed and must be rolled back (or rolled
    // back to a savepoint) before anything else runs.
    bool in_failed_transaction() const;
    bool broken() const;
    // Reconnects a broken connection; prepared statements are gone with the
    // old session (generation() changes). Throws StorageError.
    void reconnect();
    // LISTEN/NOTIFY: the connection's socket, to wait on; and the payloads of
    // the notifications that arrived (reads what is there, never blocks).
    // Throws StorageError when the connection is lost.
    int socket() const;
    std::vector<std::string> notifications();
    // Changes every time the session is replaced.
    std::uint64_t generation() const { return generation_; }
    // A name no other prepared statement of this connection has.
    std::string statement_name() { return "fu" + std::to_string(++statements_named_); }
    pg_conn* handle() const { return conn_; }

private:
    pg_conn* conn_ = nullptr;
    std::string url_;
    std::uint64_t generation_ = 0;
    std::uint64_t statements_named_ = 0;
};

class Statement final : public SqlStatement {
public:
    // `sql` in the shared form; `prepared`: prepared on the server under a
    // name of its own (and deallocated with the statement), else sent whole
    // every time.
    Statement(Connection& c, std::string_view sql, bool prepared = false);
    ~Statement() override;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    using SqlStatement::bind;
    Statement& bind(int index, std::int64_t value) override;
    Statement& bind(int index, std::string_view value) override;
    Statement& bind_null(int index) override;

    bool step() override;
    std::int64_t run() override;
    void reset() override;

    std::int64_t column_int64(int index) const override;
    std::string column_text(int index) const override;
    bool column_is_null(int index) const override;

    const std::string& sql() const override { return sql_; }

private:
    void execute();
    std::string& slot(int index);

    Connection& c_;
    std::string sql_;     // as given
    std::string pg_sql_;  // as sent
    std::string name_;
    std::uint64_t prepared_in_ = 0;  // the connection generation it was prepared in; 0: not yet
    int params_ = 0;
    // Declared types: 0 (the server infers it) for each parameter the SQL
    // uses; text for one it skips, whose type nothing could tell.
    std::vector<unsigned> types_;
    std::vector<std::string> values_;
    std::vector<char> set_;  // 1: bound to a value; 0: NULL
    pg_result* result_ = nullptr;
    int row_ = -1;
    int rows_ = 0;
};

// Statements prepared once per session, keyed by their text.
class StatementCache final : public SqlStatements {
public:
    explicit StatementCache(Connection& c) : c_(c) {}
    Statement& get(std::string_view sql) override;

private:
    Connection& c_;
    std::unordered_map<std::string_view, std::unique_ptr<Statement>> statements_;
};

}  // namespace fu::storage::pg
