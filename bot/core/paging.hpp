#pragma once
// Long replies in pages: a list of 10,000 customers is one message no
// platform takes (Telegram cuts at 4,096 characters, WeCom at 2,048 bytes).
// A reply longer than the page budget of the platform it goes to is cut at
// line ends into pages; the first is the reply, the rest wait for `more`.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fu::paging {

struct Page {
    std::string text;
    int lines = 0;  // the reply's own lines on this page (not the repeated table heads): "N more" counts these
};

// What a page leaves room for after its text: the "N more — type more" line
// and the signature a pressed button's edit appends ("— name").
inline constexpr std::size_t kFooterBytes = 160;

// `text` cut into pages of at most `budget` bytes each, footer room included
// (budget - kFooterBytes of text); one page, unchanged, when it fits whole.
// Cuts only at line ends, except a single line longer than a page (cut at a
// UTF-8 boundary). A table in a ``` fence cut by a page end is closed there and
// reopened on the next page with its first line (the column heads) again.
std::vector<Page> paginate(std::string_view text, std::size_t budget);

}  // namespace fu::paging
