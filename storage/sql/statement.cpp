#include "storage/sql/statement.hpp"

#include <cctype>

namespace fu::storage {

std::string first_words(std::string_view sql, std::size_t words) {
    std::string out;
    std::size_t count = 0;
    bool in_space = true;
    for (char c : sql) {
        bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (space) {
            if (!in_space) {
                if (++count == words) {
                    out += " …";
                    return out;
                }
                out += ' ';
            }
        } else {
            out += c;
        }
        in_space = space;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace fu::storage
