#pragma once
// Between domain structs and SQLite rows: list encodings, enum codes, and one
// reader per entity (column order as in queries.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu::storage {

class SqlStatement;

// Word lists (tags, result codes) are joined with U+001F (ASCII unit
// separator); an empty list is "". A list holding one empty word cannot be
// told from an empty list, so empty words are dropped on both sides.
inline constexpr char kWordSeparator = '\x1f';
std::string join_words(const std::vector<std::string>& words);
std::vector<std::string> split_words(std::string_view text);

// Task id lists are decimal ids joined with ','.
std::string join_task_ids(const std::vector<TaskId>& ids);
std::vector<TaskId> split_task_ids(std::string_view text);

// ASCII-only lower case: what SQLite's built-in lower() does.
std::string ascii_lower(std::string_view text);

Team read_team(const SqlStatement&);
User read_user(const SqlStatement&);
Customer read_customer(const SqlStatement&);
Task read_task(const SqlStatement&);
Interaction read_interaction(const SqlStatement&);
Transfer read_transfer(const SqlStatement&);
AuditEntry read_audit(const SqlStatement&);
// Without buttons; the caller reads those from outbox_buttons.
OutboxMessage read_message(const SqlStatement&);
Identity read_identity(const SqlStatement&);
Delivery read_delivery(const SqlStatement&);
ApiToken read_api_token(const SqlStatement&);

}  // namespace fu::storage
