#pragma once
// How the bot writes things, in English and Chinese.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/command.hpp"
#include "core/model.hpp"

namespace date {
class time_zone;
}

namespace fu::render {

const date::time_zone* zone_of(const User&);  // falls back to UTC for an unknown zone

// "Tue 11-24 10:00" / "11月24日 周二 10:00"; adds the year when it is not the current one.
std::string when(TimePoint t, TimePoint now, const date::time_zone* zone, Lang lang);
// "2h late" / "逾期2小时"
std::string lateness(TimePoint due, TimePoint now, Lang lang);
std::string_view tier(Tier, Lang);
std::string_view stage(Stage, Lang);
std::string_view method(Method, Lang);
std::string results(const std::vector<std::string>& codes, Lang);
std::string role(Role, Lang);
// "#12 Acme Corp · call: quote · Tue 11-24 10:00"
std::string task_line(const Task&, const Customer&, TimePoint now, const date::time_zone*, Lang);
// Buttons of a reminder, written as commands in the recipient's language.
std::vector<Button> reminder_buttons(TaskId, Lang);
std::string mask_phone(std::string_view phone);
std::string mask_email(std::string_view email);  // "a***@acme.com"
std::string mask_text(std::string_view text);    // first character, then "***"

// ---- compact tables ------------------------------------------------------------------
// Columns a monospace font gives the text: CJK and full-width characters take 2,
// combining marks and variation selectors 0, everything else 1.
std::size_t display_width(std::string_view text);
// The text cut to at most `cols` columns, ending in "…" when cut.
std::string fit(std::string_view text, std::size_t cols);
// `text` padded with spaces to `cols` columns, on the right (left-aligned) or the left.
std::string pad(std::string_view text, std::size_t cols, bool right_align = false);

// A table aligned by display width, one space between columns. Chat platforms show
// it as monospace when it is fenced (see fence()).
struct Table {
    std::vector<bool> right;                     // per column: right-aligned (numbers)
    std::vector<std::vector<std::string>> rows;  // rows[0] is the header
    std::vector<std::size_t> notes;              // rows (by index) written as they are, not aligned
    void add(std::vector<std::string> row) { rows.push_back(std::move(row)); }
    void note(std::string line) {  // a line across the table: "… and 3 more"
        notes.push_back(rows.size());
        rows.push_back({std::move(line)});
    }
    std::string str() const;  // lines without trailing spaces, no final newline
};
// The text inside a Markdown code fence: "```\n" + text + "\n```".
std::string fence(std::string_view text);
// "75%"; "-" when there is no rate.
std::string percent(std::optional<double> rate);
// How long ago, compactly: "45m", "3h", "2d" / "45分", "3小时", "2天".
std::string age(TimePoint since, TimePoint now, Lang);

}  // namespace fu::render
