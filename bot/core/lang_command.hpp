#pragma once
// Private to fu_lang: the command vocabulary shared by the command parser files.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/command.hpp"

namespace fu::cmd::detail {

enum class Kind {
    help,
    today,
    done,
    log,
    snooze,
    customer_add,
    followup,
    history,
    customers,
    whoami,
    team,
    overdue,
    assign,
    lang,
    link,
    unlink,
    status,
    reschedule,
    complaint,
    pool,
    claim,
    release,
    handover,
    close,
    digest,
    report,
    who,
    audit
};

struct CommandWord {
    std::string_view word;  // lower case
    Kind kind;
};
const std::vector<CommandWord>& command_words();
std::optional<Kind> kind_of(std::string_view lower_word);  // exact command word (one or two words)
std::string_view canonical(Kind k);                        // "done", "customer add", …
LocalizedText usage(Kind k);

// Closest command word to an unknown one (same script), if close enough.
std::optional<std::string_view> suggest(std::string_view word);

// Method words: "call", "电话", … (lower case, whole word).
std::optional<Method> method_word(std::string_view lower);
// The longest Chinese method word that `s` starts with; its length in bytes (0 if none).
std::size_t method_prefix(std::string_view s, Method* m);

// Outcome words of close: "won", "成交", "lost", "丢单", … (lower case, whole word).
std::optional<Stage> outcome_word(std::string_view lower);
// A Chinese outcome word that ends `word` right after other Chinese text ("华为成交"); its
// length in bytes (0 if none).
std::size_t outcome_suffix(std::string_view word, Stage* outcome);

// A run of Chinese result words written together ("已接通有意向"); empty unless the
// whole of `s` is made of them.
std::vector<std::string_view> split_results(std::string_view s);

ParseError error(Kind k, std::string en, std::string zh);

// customer add <name> [key=value …]
std::variant<CustomerAdd, ParseError> parse_customer_add(std::string_view args);

}  // namespace fu::cmd::detail
