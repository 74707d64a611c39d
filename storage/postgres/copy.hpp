#pragma once
// Bulk loading over libpq: COPY ... FROM STDIN (text format), one stream per
// table instead of a statement per batch of rows, and the tables' foreign
// keys and secondary indexes set aside while it runs. migrate-db
// (storage/migrate_db.hpp) loads a whole SQLite database this way.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fu::storage::pg {

class Connection;

class CopyIn {
public:
    // Starts `COPY table (columns) FROM STDIN` inside the caller's
    // transaction. Names are written as given: the caller's own constants.
    // Throws StorageError.
    CopyIn(Connection& c, std::string_view table, const std::vector<std::string>& columns);
    // Abandons an unfinished copy: the server fails the COPY (and so the
    // transaction), nothing of it is kept.
    ~CopyIn();
    CopyIn(const CopyIn&) = delete;
    CopyIn& operator=(const CopyIn&) = delete;

    // One row: a value or NULL per column, in the columns' order, then end_row().
    void value(std::string_view text);
    void null();
    void end_row();
    // Sends the rest and ends the COPY; returns the rows the server stored.
    // Throws StorageError with the server's message, detail and the line
    // that failed (a value of the wrong type, a foreign key pointing nowhere).
    std::int64_t finish();

private:
    void field_separator();
    void flush();

    Connection& c_;
    std::string table_;
    std::string buffer_;
    bool row_started_ = false;
    bool done_ = false;
};

// The foreign keys and the indexes that back no constraint of `tables`,
// dropped for a bulk load and made again by restore(), all inside the
// caller's transaction (a rollback brings them back as they were). Building
// an index once from all the rows and checking a foreign key with one join
// is several times faster than keeping them up row by row
// (docs/BENCHMARKS.md, "migrate-db"). Primary keys and unique constraints
// stay: ids are checked as they come.
class IndexesSetAside {
public:
    IndexesSetAside(Connection& c, const std::vector<std::string>& tables);
    // Builds the indexes, then adds and checks the foreign keys. Throws
    // StorageError with the server's detail (a key that points nowhere,
    // a duplicate).
    void restore();

private:
    Connection& c_;
    std::vector<std::string> indexes_;       // CREATE INDEX …
    std::vector<std::string> foreign_keys_;  // ALTER TABLE … ADD CONSTRAINT …
};

}  // namespace fu::storage::pg
