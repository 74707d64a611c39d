#include "core/paging.hpp"

#include <algorithm>
#include <optional>

namespace fu::paging {
namespace {

constexpr std::string_view kFence = "```";

bool is_fence(std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    return line == kFence;
}

// The longest prefix of `s` of at most `max` bytes that ends on a UTF-8 character boundary.
std::size_t boundary_at(std::string_view s, std::size_t max) {
    if (s.size() <= max) return s.size();
    std::size_t at = max;
    while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
    return at;
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find('\n', start);
        out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return out;
}

class Pager {
public:
    explicit Pager(std::size_t room) : room_(room) {}

    void add(std::string_view line) {
        if (is_fence(line)) {
            if (in_fence_) {
                // Always fits: every line of the table left room for it.
                in_fence_ = false;
                head_.reset();
                put(kFence, false);
            } else {
                put(kFence, false);  // a page ending here has no table to close
                in_fence_ = true;
                head_pending_ = true;
            }
            return;
        }
        // A line that cannot fit even on a page of its own is cut (a long note).
        while (line.size() > room_ / 2) {
            const auto cut = boundary_at(line, room_ / 2);
            put(line.substr(0, cut), true);
            line.remove_prefix(cut);
        }
        put(line, true);
        if (in_fence_ && head_pending_) {
            head_ = std::string(line);
            head_pending_ = false;
        }
    }

    std::vector<Page> finish() {
        if (!current_.text.empty() || pages_.empty()) pages_.push_back(std::move(current_));
        return std::move(pages_);
    }

private:
    // What a page must keep room for at its end: closing an open fence.
    std::size_t reserve() const { return in_fence_ ? kFence.size() + 1 : 0; }

    void put(std::string_view line, bool counted) {
        const std::size_t need = (current_.text.empty() ? 0 : 1) + line.size();
        if (current_.lines > 0 && current_.text.size() + need + reserve() > room_) {
            if (in_fence_) current_.text += "\n" + std::string(kFence);
            pages_.push_back(std::move(current_));
            current_ = Page{};
            if (in_fence_) {
                current_.text = std::string(kFence);
                if (head_) current_.text += "\n" + *head_;
            }
        }
        if (!current_.text.empty()) current_.text += '\n';
        current_.text += line;
        if (counted) ++current_.lines;
    }

    std::size_t room_;
    std::vector<Page> pages_;
    Page current_;
    bool in_fence_ = false;
    bool head_pending_ = false;
    std::optional<std::string> head_;
};

}  // namespace

std::vector<Page> paginate(std::string_view text, std::size_t budget) {
    const auto lines = split_lines(text);
    if (text.size() <= budget) return {Page{std::string(text), static_cast<int>(lines.size())}};
    Pager pager(budget > kFooterBytes * 2 ? budget - kFooterBytes : budget / 2);
    for (const auto line : lines) pager.add(line);
    return pager.finish();
}

}  // namespace fu::paging
