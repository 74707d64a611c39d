#include "storage/postgres/copy.hpp"

#include <libpq-fe.h>

#include <cstdlib>

#include "storage/postgres/pg.hpp"

namespace fu::storage::pg {
namespace {

// Sent to the server in pieces of about this size: large enough that the
// per-call cost vanishes, small enough to stay in the CPU's caches.
constexpr std::size_t kFlushBytes = 256 * 1024;

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// The server's message, with its detail (which key, which value) and context
// (which line of the COPY) when it gives them.
std::string error_of(pg_conn* conn, const pg_result* res) {
    if (!res) return trimmed(PQerrorMessage(conn));
    const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    if (!primary) return trimmed(PQresultErrorMessage(res));
    std::string msg = primary;
    if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) msg += std::string("; ") + detail;
    if (const char* context = PQresultErrorField(res, PG_DIAG_CONTEXT)) msg += std::string(" (") + context + ")";
    return msg;
}

// Reads every result the server has for the last command; the first failure's
// message, or "" when all went well. `tuples` gets the COPY's row count.
std::string drain(pg_conn* conn, std::int64_t* tuples) {
    std::string error;
    while (pg_result* res = PQgetResult(conn)) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            if (error.empty()) error = error_of(conn, res);
        } else if (tuples) {
            const char* n = PQcmdTuples(res);
            *tuples = n && *n ? std::strtoll(n, nullptr, 10) : 0;
        }
        PQclear(res);
        if (PQstatus(conn) != CONNECTION_OK) {
            if (error.empty()) error = trimmed(PQerrorMessage(conn));
            break;
        }
    }
    return error;
}

// Runs one statement; errors carry the server's detail.
void exec_detailed(Connection& c, const std::string& sql) {
    pg_result* res = PQexec(c.handle(), sql.c_str());
    const auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        std::string msg = error_of(c.handle(), res);
        PQclear(res);
        throw StorageError("postgres: " + msg + " (in: " + first_words(sql, 8) + ")");
    }
    PQclear(res);
}

std::vector<std::string> texts(Connection& c, const std::string& sql) {
    std::vector<std::string> out;
    Statement s(c, sql);
    auto scope = s.use();
    while (s.step()) out.push_back(s.column_text(0));
    return out;
}

}  // namespace

CopyIn::CopyIn(Connection& c, std::string_view table, const std::vector<std::string>& columns) : c_(c), table_(table) {
    std::string sql = "COPY " + table_ + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i];
    sql += ") FROM STDIN";
    pg_result* res = PQexec(c_.handle(), sql.c_str());
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        std::string msg = error_of(c_.handle(), res);
        PQclear(res);
        drain(c_.handle(), nullptr);
        done_ = true;
        throw StorageError("postgres: " + msg + " (in: " + first_words(sql) + ")");
    }
    PQclear(res);
    buffer_.reserve(kFlushBytes + 64 * 1024);
}

CopyIn::~CopyIn() {
    if (done_ || c_.broken()) return;
    if (PQputCopyEnd(c_.handle(), "abandoned by the client") == 1) drain(c_.handle(), nullptr);
}

void CopyIn::field_separator() {
    if (row_started_) buffer_ += '\t';
    row_started_ = true;
}

// The text format's escapes: a backslash, and the characters that end a
// field or a row.
void CopyIn::value(std::string_view text) {
    field_separator();
    for (char ch : text) {
        switch (ch) {
            case '\\': buffer_ += "\\\\"; break;
            case '\t': buffer_ += "\\t"; break;
            case '\n': buffer_ += "\\n"; break;
            case '\r': buffer_ += "\\r"; break;
            default: buffer_ += ch;
        }
    }
}

void CopyIn::null() {
    field_separator();
    buffer_ += "\\N";
}

void CopyIn::end_row() {
    buffer_ += '\n';
    row_started_ = false;
    if (buffer_.size() >= kFlushBytes) flush();
}

void CopyIn::flush() {
    if (buffer_.empty()) return;
    if (PQputCopyData(c_.handle(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
        done_ = true;
        throw StorageError("postgres: COPY " + table_ + ": " + trimmed(PQerrorMessage(c_.handle())));
    }
    buffer_.clear();
}

std::int64_t CopyIn::finish() {
    flush();
    done_ = true;
    if (PQputCopyEnd(c_.handle(), nullptr) != 1)
        throw StorageError("postgres: COPY " + table_ + ": " + trimmed(PQerrorMessage(c_.handle())));
    std::int64_t rows = 0;
    if (std::string error = drain(c_.handle(), &rows); !error.empty())
        throw StorageError("postgres: COPY " + table_ + ": " + error);
    return rows;
}

// --- IndexesSetAside --------------------------------------------------------------

IndexesSetAside::IndexesSetAside(Connection& c, const std::vector<std::string>& tables) : c_(c) {
    // Names resolved as the session sees them (its search_path), quoted as literals.
    std::string oids;
    for (const auto& t : tables) {
        std::string quoted;
        for (char ch : t) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
        oids += (oids.empty() ? "'" : ", '") + quoted + "'::regclass";
    }
    const std::string fk_where = "contype = 'f' AND conrelid IN (" + oids + ")";
    const std::string index_where =
        "i.indrelid IN (" + oids + ") AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)";
    foreign_keys_ = texts(c_,
                          "SELECT 'ALTER TABLE ' || conrelid::regclass || ' ADD CONSTRAINT ' || quote_ident(conname) "
                          "|| ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE " +
                              fk_where + " ORDER BY oid");
    indexes_ = texts(
        c_, "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE " + index_where + " ORDER BY i.indexrelid");
    const auto drop_fks = texts(c_,
                                "SELECT 'ALTER TABLE ' || conrelid::regclass || ' DROP CONSTRAINT ' || "
                                "quote_ident(conname) FROM pg_constraint WHERE " +
                                    fk_where);
    const auto drop_indexes =
        texts(c_, "SELECT 'DROP INDEX ' || i.indexrelid::regclass FROM pg_index i WHERE " + index_where);
    for (const auto& sql : drop_fks) exec_detailed(c_, sql);
    for (const auto& sql : drop_indexes) exec_detailed(c_, sql);
}

void IndexesSetAside::restore() {
    for (const auto& sql : indexes_) exec_detailed(c_, sql);
    for (const auto& sql : foreign_keys_) exec_detailed(c_, sql);
}

}  // namespace fu::storage::pg
