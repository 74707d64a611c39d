// Text helpers for the command language: UTF-8, normalisation, words.
#include "core/lang_text.hpp"

namespace fu::lang {

char32_t decode(std::string_view s, std::size_t i, std::size_t* len) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n <= 1 || i + n > s.size()) {
        *len = 1;
        return c;
    }
    char32_t cp = n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) {
            *len = 1;
            return c;
        }
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    *len = n;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::vector<char32_t> code_points(std::string_view s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0, n = 0; i < s.size(); i += n) out.push_back(decode(s, i, &n));
    return out;
}

bool is_cjk(char32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3040 && cp <= 0x30FF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF) || cp == 0x3007;  // 〇
}

bool contains_cjk(std::string_view s) {
    for (std::size_t i = 0, n = 0; i < s.size(); i += n)
        if (is_cjk(decode(s, i, &n))) return true;
    return false;
}

bool cjk_at(std::string_view s, std::size_t i) {
    std::size_t n = 0;
    return i < s.size() && is_cjk(decode(s, i, &n));
}

bool cjk_before(std::string_view s, std::size_t i) {
    if (i == 0) return false;
    std::size_t k = i - 1;
    while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80 && i - k < 4) --k;
    std::size_t n = 0;
    char32_t cp = decode(s, k, &n);
    return k + n == i && is_cjk(cp);
}

std::size_t separator_len(std::string_view s, std::size_t i) {
    if (i >= s.size()) return 0;
    if (s[i] == ',' || s[i] == ';') return 1;
    std::string_view r = s.substr(i);
    for (std::string_view w : {"，", "；", "、"})
        if (r.starts_with(w)) return w.size();
    return 0;
}

std::size_t gap_len(std::string_view s, std::size_t i) {
    if (i < s.size() && s[i] == ' ') return 1;
    return separator_len(s, i);
}

std::string_view trim_gaps(std::string_view s) {
    std::size_t b = 0;
    while (b < s.size()) {
        std::size_t n = gap_len(s, b);
        if (!n) break;
        b += n;
    }
    std::size_t e = s.size();
    while (e > b) {
        if (s[e - 1] == ' ' || s[e - 1] == ',' || s[e - 1] == ';') {
            --e;
            continue;
        }
        if (e - b >= 3) {
            std::string_view t = s.substr(e - 3, 3);
            if (t == "，" || t == "；" || t == "、") {
                e -= 3;
                continue;
            }
        }
        break;
    }
    return s.substr(b, e - b);
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

namespace {

bool is_blank(char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x3000 ||
           cp == 0xA0 || cp == 0x200B || cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x200A);
}

char32_t fold(char32_t cp) {
    if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
        return cp - 0xFEE0;
    switch (cp) {
        case 0xFF1A: return ':';  // ：
        case 0xFF03: return '#';  // ＃
        case 0xFF1D: return '=';  // ＝
        case 0xFF20: return '@';  // ＠
        case 0xFF0F: return '/';  // ／
        case 0xFF1F: return '?';  // ？
        case 0xFF0D: return '-';  // －
        default: return cp;
    }
}

}  // namespace

Normalized normalize(std::string_view in) {
    Normalized out;
    out.text.reserve(in.size());
    out.source.reserve(in.size() + 1);
    bool pending_space = false;
    std::size_t space_at = 0, last_end = 0;
    for (std::size_t i = 0, n = 0; i < in.size(); i += n) {
        char32_t cp = decode(in, i, &n);
        if (is_blank(cp)) {
            if (!pending_space) space_at = i;
            pending_space = true;
            continue;
        }
        if (pending_space && !out.text.empty()) {
            out.text += ' ';
            out.source.push_back(space_at);
        }
        pending_space = false;
        std::size_t before = out.text.size();
        char32_t f = fold(cp);
        if (f == cp)
            out.text.append(in.substr(i, n));
        else
            append_utf8(out.text, f);
        for (std::size_t k = before; k < out.text.size(); ++k) out.source.push_back(i + (f == cp ? k - before : 0));
        last_end = i + n;
    }
    out.source.push_back(last_end);
    return out;
}

std::string normalized(std::string_view in) { return normalize(in).text; }

std::vector<Span> words(std::string_view s) {
    std::vector<Span> out;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t g = gap_len(s, i);
        if (g) {
            i += g;
            continue;
        }
        std::size_t b = i;
        while (i < s.size() && !gap_len(s, i)) ++i;
        out.push_back({b, i});
    }
    return out;
}

}  // namespace fu::lang
