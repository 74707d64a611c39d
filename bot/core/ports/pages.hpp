#pragma once
// Storage port: the pages of a user's last long list still to show (`more`).
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace fu {

// One page of a list, as shown: its text and how many of the list's lines it holds.
struct ListPage {
    std::string text;
    int lines = 0;
};

class PageStore {
public:
    virtual ~PageStore() = default;

    // The pages after the one just shown, replacing whatever was left of the user's previous list.
    virtual void save_pages(UserId, const std::vector<ListPage>&) = 0;
    // The user's next page, removed; nullopt once the list has been shown to its end.
    virtual std::optional<ListPage> take_page(UserId) = 0;
    // How many lines the user's remaining pages hold (0: none left).
    virtual int lines_left(UserId) = 0;
};

}  // namespace fu
