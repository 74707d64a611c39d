#pragma once
// What the SQL engines share: a prepared statement seen through one small
// interface, so the repository (sql_repo.hpp) is written once for SQLite and
// PostgreSQL. Each engine's folder implements it over its C library.
//
// SQL is written in the common subset of both dialects, with `?`, `?N` or
// `:name` placeholders (SQLite's forms; the PostgreSQL engine numbers them
// `$N`). A statement whose best form differs between engines is written for
// SQLite here and replaced, by its text, in the other engine's folder.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fu::storage {

// Any failure of the database: the engine's message plus the first words of
// the failing SQL.
class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// How far a commit goes before it returns. full: the write-ahead log is
// flushed to disk at every commit, so a committed write survives a power cut.
// normal: it survives a crash of the process; the last commits may be lost
// with the machine (never the database's consistency).
enum class Durability { full, normal };

class SqlStatement {
public:
    virtual ~SqlStatement() = default;

    // Resets the statement (results and bindings) when it goes out of scope,
    // so a cached statement never keeps a cursor or a read transaction open.
    class [[nodiscard]] Scope {
    public:
        explicit Scope(SqlStatement& s) : s_(&s) {}
        ~Scope() { s_->reset(); }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        SqlStatement* s_;
    };
    Scope use() { return Scope(*this); }

    // Parameters are 1-based.
    virtual SqlStatement& bind(int index, std::int64_t value) = 0;
    virtual SqlStatement& bind(int index, std::string_view value) = 0;
    virtual SqlStatement& bind_null(int index) = 0;
    SqlStatement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    SqlStatement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    template <class T>
    SqlStatement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }

    // True when a row is available; false when done. Throws StorageError.
    virtual bool step() = 0;
    // Runs a statement that returns no rows to completion (and resets it);
    // returns the number of rows it inserted, updated or deleted.
    virtual std::int64_t run() = 0;
    virtual void reset() = 0;

    virtual std::int64_t column_int64(int index) const = 0;  // NULL: 0
    virtual std::string column_text(int index) const = 0;    // NULL: ""
    virtual bool column_is_null(int index) const = 0;
    std::optional<std::int64_t> column_optional_int64(int index) const {
        if (column_is_null(index)) return std::nullopt;
        return column_int64(index);
    }

    virtual const std::string& sql() const = 0;
};

// Prepared statements kept for the life of a connection, keyed by their text.
class SqlStatements {
public:
    virtual ~SqlStatements() = default;
    virtual SqlStatement& get(std::string_view sql) = 0;
};

// The first few words of a statement, enough to tell which one failed
// without dumping a whole schema script into a log line.
std::string first_words(std::string_view sql, std::size_t words = 6);

}  // namespace fu::storage
