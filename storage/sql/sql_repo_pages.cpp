// The pages of a user's last long list still to show (`more`). A page may quote
// a customer's contacts (history), so it is sealed like the outbox's texts.
#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/queries.hpp"
#include "storage/sql/sql_repo.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

void SqlRepo::save_pages(UserId user, const std::vector<ListPage>& pages) {
    {
        auto& s = statement(sql::kDeletePages);
        auto scope = s.use();
        s.bind(1, user.value).run();
    }
    auto& s = statement(sql::kInsertPage);
    for (std::size_t i = 0; i < pages.size(); ++i) {
        auto scope = s.use();
        s.bind(1, user.value)
            .bind(2, static_cast<std::int64_t>(i))
            .bind(3, std::int64_t{pages[i].lines})
            .bind(4, cipher_ ? cipher_->seal(pages[i].text) : pages[i].text)
            .run();
    }
}

std::optional<ListPage> SqlRepo::take_page(UserId user) {
    std::int64_t seq = 0;
    ListPage page;
    {
        auto& s = statement(sql::kSelectFirstPage);
        auto scope = s.use();
        s.bind(1, user.value);
        if (!s.step()) return std::nullopt;
        seq = s.column_int64(0);
        page.lines = static_cast<int>(s.column_int64(1));
        page.text = cipher_ ? cipher_->open(s.column_text(2)) : s.column_text(2);
    }
    auto& d = statement(sql::kDeletePage);
    auto scope = d.use();
    d.bind(1, user.value).bind(2, seq).run();
    return page;
}

int SqlRepo::lines_left(UserId user) {
    auto& s = statement(sql::kSumPageLines);
    auto scope = s.use();
    s.bind(1, user.value);
    return s.step() ? static_cast<int>(s.column_int64(0)) : 0;
}

}  // namespace fu::storage
