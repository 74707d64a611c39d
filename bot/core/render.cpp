#include "core/render.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/topics.hpp"

namespace fu::render {
namespace {

constexpr std::string_view kWeekdayEn[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::string_view kWeekdayZh[] = {"周日", "周一", "周二", "周三", "周四", "周五", "周六"};

date::local_seconds local(TimePoint t, const date::time_zone* zone) {
    return date::zoned_seconds{zone, t}.get_local_time();
}

}  // namespace

const date::time_zone* zone_of(const User& u) {
    try {
        return date::locate_zone(u.time_zone);
    } catch (const std::exception&) {
        return date::locate_zone("UTC");
    }
}

std::string when(TimePoint t, TimePoint now, const date::time_zone* zone, Lang lang) {
    const auto lt = local(t, zone);
    const auto day = date::floor<date::days>(lt);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss hms{lt - day};
    const auto wd = date::weekday{day}.c_encoding();
    const date::year_month_day now_ymd{date::floor<date::days>(local(now, zone))};
    const bool show_year = ymd.year() != now_ymd.year();
    char buf[64];
    const int y = int(ymd.year()), m = int(unsigned(ymd.month())), d = int(unsigned(ymd.day()));
    const int hh = int(hms.hours().count()), mm = int(hms.minutes().count());
    if (lang == Lang::zh) {
        if (show_year)
            std::snprintf(buf, sizeof buf, "%d年%d月%d日 %s %02d:%02d", y, m, d, kWeekdayZh[wd].data(), hh, mm);
        else
            std::snprintf(buf, sizeof buf, "%d月%d日 %s %02d:%02d", m, d, kWeekdayZh[wd].data(), hh, mm);
    } else {
        if (show_year)
            std::snprintf(buf, sizeof buf, "%s %04d-%02d-%02d %02d:%02d", kWeekdayEn[wd].data(), y, m, d, hh, mm);
        else
            std::snprintf(buf, sizeof buf, "%s %02d-%02d %02d:%02d", kWeekdayEn[wd].data(), m, d, hh, mm);
    }
    return buf;
}

std::string lateness(TimePoint due, TimePoint now, Lang lang) {
    const auto late = now - due;
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(late).count();
    std::string amount;
    if (minutes < 60)
        amount = std::to_string(std::max<long>(minutes, 1)) + (lang == Lang::zh ? "分钟" : "m");
    else if (minutes < 48 * 60)
        amount = std::to_string(minutes / 60) + (lang == Lang::zh ? "小时" : "h");
    else
        amount = std::to_string(minutes / (24 * 60)) + (lang == Lang::zh ? "天" : "d");
    return lang == Lang::zh ? "逾期" + amount : amount + " late";
}

std::string_view tier(Tier t, Lang lang) {
    switch (t) {
        case Tier::a: return lang == Lang::zh ? "A类(VIP)" : "A (VIP)";
        case Tier::b: return lang == Lang::zh ? "B类" : "B";
        case Tier::c: return lang == Lang::zh ? "C类" : "C";
    }
    return "?";
}

std::string_view stage(Stage s, Lang lang) {
    const bool zh = lang == Lang::zh;
    switch (s) {
        case Stage::lead: return zh ? "潜在客户" : "lead";
        case Stage::new_customer: return zh ? "新客户" : "new customer";
        case Stage::active: return zh ? "活跃客户" : "active";
        case Stage::silent: return zh ? "沉默客户" : "silent";
        case Stage::churn_risk: return zh ? "流失风险" : "churn risk";
        case Stage::won: return zh ? "已成交" : "won";
        case Stage::lost: return zh ? "已流失" : "lost";
    }
    return "?";
}

std::string_view method(Method m, Lang lang) {
    const bool zh = lang == Lang::zh;
    switch (m) {
        case Method::call: return zh ? "电话" : "call";
        case Method::email: return zh ? "邮件" : "email";
        case Method::visit: return zh ? "拜访" : "visit";
        case Method::im: return zh ? "微信/消息" : "message";
        case Method::other: return zh ? "其他" : "other";
    }
    return "?";
}

std::string results(const std::vector<std::string>& codes, Lang lang) {
    std::string out;
    for (const auto& c : codes) {
        std::string_view name = c;
        for (const auto& r : cmd::result_codes())
            if (r.code == c) name = lang == Lang::zh ? r.zh : r.en;
        if (!out.empty()) out += lang == Lang::zh ? "、" : ", ";
        out += name;
    }
    if (out.empty()) out = lang == Lang::zh ? "已完成" : "done";
    return out;
}

std::string role(Role r, Lang lang) {
    const bool zh = lang == Lang::zh;
    switch (r) {
        case Role::rep: return zh ? "销售" : "rep";
        case Role::manager: return zh ? "主管" : "manager";
        case Role::admin: return zh ? "管理员" : "admin";
    }
    return "?";
}

std::string task_line(const Task& t, const Customer& c, TimePoint now, const date::time_zone* zone, Lang lang) {
    std::string line = "#" + std::to_string(t.id.value) + " " + c.name + " · " + std::string(method(t.method, lang));
    if (!t.topic.empty()) line += (lang == Lang::zh ? "：" : ": ") + topics::text(t.topic, lang);
    line += " · " + when(t.due, now, zone, lang);
    if (t.due < now) line += " (" + lateness(t.due, now, lang) + ")";
    if (t.priority == Priority::high) line += lang == Lang::zh ? " ❗紧急" : " ❗urgent";
    return line;
}

std::vector<Button> reminder_buttons(TaskId id, Lang lang) {
    const auto n = std::to_string(id.value);
    if (lang == Lang::zh)
        return {{"✅ 完成", "完成 " + n},
                {"⏰ 推迟1小时", "推迟 " + n + " 1小时后"},
                {"📅 明天9点", "推迟 " + n + " 明天9点"}};
    return {{"✅ Done", "done " + n},
            {"⏰ Snooze 1h", "snooze " + n + " 1h"},
            {"📅 Tomorrow 9:00", "snooze " + n + " tomorrow 9:00"}};
}

std::string mask_phone(std::string_view phone) {
    if (phone.size() <= 4) return std::string(phone.size(), '*');
    const std::size_t keep_head = phone.size() >= 11 ? 3 : 0;
    std::string out(phone.substr(0, keep_head));
    out.append(phone.size() - keep_head - 4, '*');
    out.append(phone.substr(phone.size() - 4));
    return out;
}

std::string mask_email(std::string_view email) {
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0) return std::string(email.size(), '*');
    return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

namespace {

// The code point at s[i] and its length in bytes; a stray byte decodes as itself.
char32_t decode(std::string_view s, std::size_t i, std::size_t* len) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = 1;
    char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) {
            *len = 1;
            return b;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    *len = n;
    return cp;
}

int columns(char32_t cp) {
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0xFE00 && cp <= 0xFE0F)) return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
        (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

}  // namespace

std::string mask_text(std::string_view text) {
    if (text.empty()) return {};
    std::size_t n = 0;
    decode(text, 0, &n);
    return std::string(text.substr(0, n)) + "***";
}

std::size_t display_width(std::string_view text) {
    std::size_t w = 0;
    for (std::size_t i = 0, n = 0; i < text.size(); i += n) w += columns(decode(text, i, &n));
    return w;
}

std::string fit(std::string_view text, std::size_t cols) {
    if (display_width(text) <= cols) return std::string(text);
    if (cols == 0) return {};
    std::string out;
    std::size_t w = 0;
    for (std::size_t i = 0, n = 0; i < text.size(); i += n) {
        const int c = columns(decode(text, i, &n));
        if (w + c > cols - 1) break;  // room for "…"
        out.append(text.substr(i, n));
        w += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "…";
}

std::string pad(std::string_view text, std::size_t cols, bool right_align) {
    const std::size_t w = display_width(text);
    const std::string fill(cols > w ? cols - w : 0, ' ');
    return right_align ? fill + std::string(text) : std::string(text) + fill;
}

std::string Table::str() const {
    std::vector<std::size_t> width;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (std::find(notes.begin(), notes.end(), r) != notes.end()) continue;
        for (std::size_t c = 0; c < rows[r].size(); ++c) {
            if (width.size() <= c) width.resize(c + 1, 0);
            width[c] = std::max(width[c], display_width(rows[r][c]));
        }
    }
    std::string out;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::string line;
        if (std::find(notes.begin(), notes.end(), r) != notes.end()) {
            line = rows[r].empty() ? std::string() : rows[r][0];
        } else {
            for (std::size_t c = 0; c < rows[r].size(); ++c) {
                if (c) line += ' ';
                line += pad(rows[r][c], width[c], c < right.size() && right[c]);
            }
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        if (r) out += '\n';
        out += line;
    }
    return out;
}

std::string fence(std::string_view text) { return "```\n" + std::string(text) + "\n```"; }

std::string percent(std::optional<double> rate) {
    if (!rate) return "-";
    return std::to_string(static_cast<int>(std::lround(*rate * 100))) + "%";
}

std::string age(TimePoint since, TimePoint now, Lang lang) {
    const auto minutes = std::max<long>(std::chrono::duration_cast<std::chrono::minutes>(now - since).count(), 0);
    const bool zh = lang == Lang::zh;
    if (minutes < 60) return std::to_string(std::max<long>(minutes, 1)) + (zh ? "分" : "m");
    if (minutes < 48 * 60) return std::to_string(minutes / 60) + (zh ? "小时" : "h");
    return std::to_string(minutes / (24 * 60)) + (zh ? "天" : "d");
}

}  // namespace fu::render
