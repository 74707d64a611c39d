#pragma once
// Private to the command table: each command's parser (see Parser in table.hpp). Errors come
// back without the usage; parse() adds the command's.
#include <optional>
#include <string_view>

#include "core/commands/table.hpp"

namespace fu::cmd::detail {

// A command with nothing after its word; anything written there is ignored.
template <class T>
Result no_args(std::string_view, std::string_view) {
    return T{};
}

Result parse_help(std::string_view args, std::string_view word);  // parse.cpp

Result parse_done(std::string_view args, std::string_view word);  // parse_contact.cpp
Result parse_log(std::string_view args, std::string_view word);

Result parse_snooze(std::string_view args, std::string_view word);  // parse_tasks.cpp
Result parse_reschedule(std::string_view args, std::string_view word);
Result parse_followup(std::string_view args, std::string_view word);

Result parse_customer_add(std::string_view args, std::string_view word);  // parse_customer_add.cpp
Result parse_find(std::string_view args, std::string_view word);

Result parse_history(std::string_view args, std::string_view word);  // parse_customers.cpp
Result parse_assign(std::string_view args, std::string_view word);
Result parse_complaint(std::string_view args, std::string_view word);
Result parse_claim(std::string_view args, std::string_view word);
Result parse_release(std::string_view args, std::string_view word);
Result parse_handover(std::string_view args, std::string_view word);
Result parse_close(std::string_view args, std::string_view word);
Result parse_who(std::string_view args, std::string_view word);

Result parse_overdue(std::string_view args, std::string_view word);  // parse_manager.cpp
Result parse_report(std::string_view args, std::string_view word);
// A report asked for in a phrase that starts with its period: "本周跟进及时率", "上周报告",
// "weekly report". nullopt if `s` is not one.
std::optional<Parsed> report_phrase(std::string_view s);

Result parse_lang(std::string_view args, std::string_view word);  // parse_admin.cpp
Result parse_link(std::string_view args, std::string_view word);
Result parse_unlink(std::string_view args, std::string_view word);
Result parse_audit(std::string_view args, std::string_view word);

}  // namespace fu::cmd::detail
