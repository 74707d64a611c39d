#pragma once
// The chat commands, one entry each: the words that start it in English and Chinese, its
// usage and help lines, its parser, the roles that may use it and its handler. Help, the
// "did you mean" suggestion and the role check read this table; nothing else lists commands.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/command.hpp"

namespace fu {
struct Reply;
namespace detail {
struct Ctx;
}
}  // namespace fu

namespace fu::cmd {

using Result = std::variant<Command, ParseError>;

// The words after the command word -> the command, or what was wrong (the table adds the
// usage). `word` is the command word as written, lower case ("周报"), for the few commands
// whose word says something ("月报": this month).
using Parser = Result (*)(std::string_view args, std::string_view word);

// Runs a parsed command; `type` is the type of the arguments it runs on.
struct Handler {
    Reply (*run)(fu::detail::Ctx&, const Command&) = nullptr;
    TypeId type = nullptr;
};

// Who may use a command: a set of these.
enum RoleBits : unsigned { kRep = 1, kManager = 2, kAdmin = 4 };
constexpr unsigned kEveryone = kRep | kManager | kAdmin;
constexpr unsigned kManagers = kManager | kAdmin;  // "only managers": admins may too
constexpr unsigned kAdmins = kAdmin;

struct CommandSpec {
    // Command words, lower case, some of two words ("customer add"). The first English one is
    // the command's name (help topics, tests); the first of each language is the one replies name.
    std::vector<std::string_view> en, zh;
    LocalizedText usage;                   // "Usage: …", shown under every parse error and by help <command>
    LocalizedText summary;                 // its line in the help list: an example and what it does
    LocalizedText (*details)() = nullptr;  // what help <command> adds under the usage
    Parser parse = nullptr;
    unsigned roles = kEveryone;
    Handler handler{};
    // Its reply is a list: running it starts a new list for `more`, even when it fits one page.
    bool list = false;

    std::string_view name() const { return en.front(); }
    std::string_view name_in(Lang l) const { return l == Lang::zh ? zh.front() : en.front(); }
    bool allows(Role r) const;
};

// In the order the help list shows them.
const std::vector<CommandSpec>& commands();

// The command a lower-case word (one or two words) starts, or nullptr.
const CommandSpec* find_command(std::string_view lower_word);
// The command a parsed Command came from.
const CommandSpec& spec_of(const Command&);

// "Only managers can do that ('team'). …": the reply to a role `spec` does not allow.
LocalizedText role_refusal(const CommandSpec& spec);

}  // namespace fu::cmd
