#pragma once
// COPY ... FROM STDIN (text format) over libpq: the fastest way to load many
// rows, one stream per table instead of a statement per batch of rows.
// migrate-db (storage/migrate_db.hpp) loads a whole SQLite database this way.
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

}  // namespace fu::storage::pg
