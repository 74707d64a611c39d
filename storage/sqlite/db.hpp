#pragma once
// Thin RAII wrappers over the SQLite C API. sqlite3.h stays out of headers.
//
// A Statement is prepared once and reused: every use goes through a Scope,
// which resets it and clears its bindings however the use ends, so a cached
// statement never keeps a read cursor (and a read transaction) open.
// A Transaction rolls back in its destructor unless commit() was called
// (what Bitcoin Core's wallet bugs #29253/#29112 were about).
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/sql/statement.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace fu::storage {

class Database {
public:
    // Opens (creating if missing) a file, or ":memory:", for use by one thread
    // at a time (no per-connection mutex). Sets WAL, foreign keys on,
    // `durability` and a 5 s busy timeout.
    explicit Database(const std::string& path, Durability durability = Durability::full);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements without results (schema scripts, pragmas).
    void exec(std::string_view sql);
    // Runs a single-value query (a pragma, a count) and returns its text.
    std::string query_text(std::string_view sql);
    bool in_transaction() const;
    std::int64_t last_insert_id() const;
    int changes() const;
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};

class Statement final : public SqlStatement {
public:
    Statement(Database& db, std::string_view sql);
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
    [[noreturn]] void fail(int rc) const;

    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
};

// Prepared statements kept for the life of the connection, keyed by their SQL
// text. One connection, one thread: no locking.
class StatementCache final : public SqlStatements {
public:
    explicit StatementCache(Database& db) : db_(db) {}
    Statement& get(std::string_view sql) override;

private:
    Database& db_;
    // Keys view the cached statement's own copy of its SQL.
    std::unordered_map<std::string_view, std::unique_ptr<Statement>> statements_;
};

// A savepoint inside an open transaction: released by release(), rolled back
// to (and released) by the destructor otherwise. Some errors (a full disk, an
// I/O error) make SQLite roll the whole transaction back on its own: callers
// check Database::in_transaction() after a failed step.
class Savepoint {
public:
    explicit Savepoint(Database& db);
    ~Savepoint();
    Savepoint(const Savepoint&) = delete;
    Savepoint& operator=(const Savepoint&) = delete;

    void release();

private:
    Database& db_;
    bool done_ = false;
};

// BEGIN IMMEDIATE: takes the write lock up front, so a transaction never fails
// half-way with SQLITE_BUSY on its first write.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();  // rolls back unless committed
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace fu::storage
