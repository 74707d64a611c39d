#include "storage/sql/topic_codes.hpp"

#include <string>
#include <utility>
#include <vector>

#include "core/topics.hpp"

namespace fu::storage {

std::int64_t code_worded_topics(SqlStatement& select, SqlStatement& update) {
    std::vector<std::pair<std::int64_t, std::string>> coded;
    {
        auto scope = select.use();
        while (select.step())
            if (auto code = topics::code_of(select.column_text(1))) coded.emplace_back(select.column_int64(0), *code);
    }
    std::int64_t changed = 0;
    for (const auto& [id, code] : coded) {
        auto scope = update.use();
        changed += update.bind(1, code).bind(2, id).run();
    }
    return changed;
}

}  // namespace fu::storage
