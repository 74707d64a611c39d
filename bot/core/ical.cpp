#include "core/ical.hpp"

#include <date/date.h>

namespace fu::ical {

namespace {

constexpr std::size_t kMaxOctets = 75;  // per physical line, CRLF not counted

// Bytes in the UTF-8 sequence that starts with `lead` (1 for a stray byte: it is never split anyway).
std::size_t sequence_length(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

// "PT15M", "PT1H30M", "PT45S": a DURATION of hours, minutes and seconds.
std::string duration(Seconds d) {
    auto s = d.count() < 0 ? 0 : d.count();
    std::string out = "PT";
    if (s >= 3600) out += std::to_string(s / 3600) + "H";
    if (s % 3600 >= 60) out += std::to_string(s % 3600 / 60) + "M";
    if (s % 60 || s == 0) out += std::to_string(s % 60) + "S";
    return out;
}

}  // namespace

std::string escape_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        switch (c) {
            case '\\': out += "\\\\"; break;
            case ';': out += "\\;"; break;
            case ',': out += "\\,"; break;
            case '\n': out += "\\n"; break;
            case '\r':
                if (i + 1 < s.size() && s[i + 1] == '\n') break;  // CRLF is one line break
                out += "\\n";
                break;
            default:
                if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F)
                    out += ' ';
                else
                    out += c;
        }
    }
    return out;
}

std::string fold(std::string_view line) {
    std::string out;
    out.reserve(line.size() + line.size() / 70 * 3 + 2);
    std::size_t used = 0;  // octets on the current physical line
    for (std::size_t i = 0; i < line.size();) {
        const std::size_t n = std::min(sequence_length(static_cast<unsigned char>(line[i])), line.size() - i);
        if (used + n > kMaxOctets) {
            out += "\r\n ";
            used = 1;  // the space that starts a continuation counts
        }
        out.append(line.substr(i, n));
        used += n;
        i += n;
    }
    out += "\r\n";
    return out;
}

std::string utc(TimePoint t) { return date::format("%Y%m%dT%H%M%SZ", t); }

std::string render(const Calendar& cal, TimePoint stamp) {
    std::string out;
    auto line = [&](std::string_view name, std::string_view value) {
        std::string l(name);
        l += ':';
        l += value;
        out += fold(l);
    };
    line("BEGIN", "VCALENDAR");
    line("VERSION", "2.0");
    line("PRODID", cal.prodid);
    line("CALSCALE", "GREGORIAN");
    line("METHOD", "PUBLISH");
    line("X-WR-CALNAME", escape_text(cal.name));
    line("REFRESH-INTERVAL;VALUE=DURATION", duration(cal.refresh));
    line("X-PUBLISHED-TTL", duration(cal.refresh));
    const auto dtstamp = utc(stamp);
    for (const Event& e : cal.events) {
        line("BEGIN", "VEVENT");
        line("UID", escape_text(e.uid));
        line("DTSTAMP", dtstamp);
        line("DTSTART", utc(e.start));
        line("DURATION", duration(e.duration));
        line("SEQUENCE", std::to_string(e.sequence));
        line("SUMMARY", escape_text(e.summary));
        if (!e.description.empty()) line("DESCRIPTION", escape_text(e.description));
        if (!e.url.empty()) line("URL", e.url);
        line("END", "VEVENT");
    }
    line("END", "VCALENDAR");
    return out;
}

}  // namespace fu::ical
