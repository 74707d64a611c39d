#pragma once
// For the files that define a command (core/commands/<name>.cpp, and the table's own
// entries): the handler of a table entry from a function on the command's arguments.
#include "core/bot_internal.hpp"
#include "core/commands/table.hpp"

namespace fu::cmd {

// Runs `Run` on the arguments of type T a parsed Command holds.
template <class T, Reply (*Run)(fu::detail::Ctx&, const T&)>
Handler handler_of() {
    return {[](fu::detail::Ctx& ctx, const Command& c) -> Reply { return Run(ctx, c.get<T>()); }, type_id<T>()};
}

}  // namespace fu::cmd
