// The e-mail adapter's pure part: addresses, RFC 2047 headers, quoted-printable
// bodies, the MIME message, and what an SMTP result means for the delivery.
#include "adapters/email/email.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace fu::adapters::email {
namespace {

constexpr std::string_view kCrlf = "\r\n";

// UTF-8: the code point at s[i] and its length (an invalid byte decodes as itself, length 1).
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
        len = 1;
        return b;
    }
    char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) {
            len = 1;
            return b;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    len = n;
    return cp;
}

// Where a cut at or before `at` falls on a character boundary.
std::size_t boundary_at(std::string_view s, std::size_t at) {
    at = std::min(at, s.size());
    while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
    return at;
}

bool is_han(char32_t cp) { return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF); }
bool is_ascii_letter(char32_t cp) { return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'); }

// A character a subject may start with: not a symbol, emoji or blank.
bool starts_words(char32_t cp) {
    if (cp < 0x80) return is_ascii_letter(cp) || (cp >= '0' && cp <= '9') || cp == '#';
    if (cp >= 0xFE00 && cp <= 0xFE0F) return false;  // variation selectors
    return (cp >= 0xC0 && cp < 0x2000) || (cp >= 0x2E80 && cp < 0x1F000);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> nonempty_lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        if (auto line = trim(text.substr(pos, nl - pos)); !line.empty()) out.push_back(line);
        pos = nl + 1;
    }
    return out;
}

// The line without its leading symbols ("⏰ ") and a trailing colon.
std::string_view words_of(std::string_view line) {
    std::size_t i = 0, len = 0;
    while (i < line.size() && !starts_words(decode(line, i, len))) i += len;
    line.remove_prefix(i);
    for (std::string_view colon : {":", "："})
        if (line.ends_with(colon)) line.remove_suffix(colon.size());
    return trim(line);
}

std::string cut(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    constexpr std::string_view kEllipsis = "…";
    return std::string(text.substr(0, boundary_at(text, max_bytes - kEllipsis.size()))) + std::string(kEllipsis);
}

std::string base64(std::string_view in) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < in.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
        if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
        out += i + 2 < in.size() ? kAlphabet[v & 63] : '=';
    }
    return out;
}

// "=?UTF-8?B?…?=" words; the first fits the rest of a 78-character line when it can.
std::string encoded_words(std::string_view text, std::size_t used) {
    constexpr std::size_t kOverhead = 12;   // "=?UTF-8?B?" + "?="
    constexpr std::size_t kWordBytes = 45;  // 60 base64 characters: a word of 72
    std::string out;
    std::size_t first = used + kOverhead + 16 <= 78 ? (78 - used - kOverhead) / 4 * 3 : 12;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t room = out.empty() ? std::min(first, kWordBytes) : kWordBytes;
        std::size_t end = boundary_at(text, pos + room);
        if (end <= pos) end = pos + std::min(room, text.size() - pos);  // never stall on bad UTF-8
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(text.substr(pos, end - pos)) + "?=";
        pos = end;
    }
    return out;
}

bool plain_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; }) &&
           s.find("=?") == std::string_view::npos;
}

// A display name: an atom phrase as it is, anything else encoded (encoded
// words are allowed in a phrase, and spare us quoting rules).
std::string display_name(std::string_view name, std::size_t used) {
    constexpr std::string_view kSpecials = "()<>[]:;@\\,.\"";
    const bool atoms = plain_ascii(name) && name.find_first_of(kSpecials) == std::string_view::npos;
    return atoms ? std::string(name) : encoded_words(name, used);
}

std::string escape_html(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            case '\r': break;
            default: out += c;
        }
    }
    return out;
}

std::string_view commands_heading(Lang lang) {
    return lang == Lang::zh ? "如需处理，请在聊天中发送：" : "To act on it, send one of these in the chat:";
}

// The usable buttons: a command on one line.
std::vector<Button> commands_of(const Outbound& out) {
    std::vector<Button> usable;
    for (const auto& b : out.buttons) {
        const auto command = trim(b.command);
        if (command.empty() || command.find_first_of("\r\n") != std::string_view::npos) continue;
        usable.push_back(Button{one_line(b.label), std::string(command)});
    }
    return usable;
}

bool valid_msg_id(std::string_view id) {
    return id.size() >= 5 && id.size() <= 250 && id.front() == '<' && id.back() == '>' &&
           id.find('@') != std::string_view::npos && std::all_of(id.begin() + 1, id.end() - 1, [](char c) {
               return c > 0x20 && c < 0x7F && c != '<' && c != '>';
           });
}

}  // namespace

std::optional<Tls> tls_from_code(std::string_view s) {
    if (s == "starttls") return Tls::starttls;
    if (s == "smtps") return Tls::smtps;
    if (s == "none") return Tls::none;
    return std::nullopt;
}

bool valid_address(std::string_view a) {
    if (a.empty() || a.size() > 254) return false;
    const auto at = a.find('@');
    if (at == 0 || at == std::string_view::npos || a.find('@', at + 1) != std::string_view::npos) return false;
    const auto local = a.substr(0, at), domain = a.substr(at + 1);
    constexpr std::string_view kNotInLocal = "\"(),:;<>@[\\]";
    if (local.size() > 64 || local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return false;
    for (char c : local)
        if (c <= 0x20 || c >= 0x7F || kNotInLocal.find(c) != std::string_view::npos) return false;
    if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos)
        return false;
    for (char c : domain)
        if (!(is_ascii_letter(static_cast<unsigned char>(c)) || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return false;
    return true;
}

std::string_view domain_of(std::string_view address) {
    const auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

bool loopback_host(std::string_view host) {
    if (host == "localhost" || host == "::1" || host == "[::1]") return true;
    if (!host.starts_with("127.")) return false;
    int dots = 0;
    for (char c : host) {
        if (c == '.')
            ++dots;
        else if (c < '0' || c > '9')
            return false;
    }
    return dots == 3;
}

std::string options_problem(const Options& o) {
    if (o.host.empty() || std::any_of(o.host.begin(), o.host.end(), [](char c) { return c <= 0x20 || c >= 0x7F; }))
        return "email.host: the SMTP server's host name or address, without blanks";
    if (o.port < 1 || o.port > 65535) return "email.port: an integer 1..65535";
    if (o.tls == Tls::none && !loopback_host(o.host))
        return "email.tls: \"starttls\" or \"smtps\" (\"none\" only for a server on this machine: localhost, "
               "127.0.0.1, ::1)";
    if (!valid_address(o.from)) return "email.from: the sender's address, such as \"followupd@example.com\"";
    if (!o.username.empty() && o.password.empty()) return "email.password: required with email.username";
    if (o.timeout.count() < 1) return "email.timeout_s: at least 1 second";
    if (!(o.per_second > 0) || !(o.per_chat_per_second > 0)) return "email.per_second: above 0";
    return {};
}

std::string one_line(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if ((c >= 0 && c < 0x20) || c == 0x7F) c = ' ';
    return out;
}

std::string encode_header(std::string_view text, std::size_t used) {
    const std::string line = one_line(text);
    return plain_ascii(line) ? line : encoded_words(line, used);
}

std::string quoted_printable(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3 / 2);
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        const bool last = nl == std::string_view::npos;
        if (last) nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        if (line.ends_with('\r')) line.remove_suffix(1);
        std::size_t width = 0;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const auto c = static_cast<unsigned char>(line[i]);
            const bool blank = c == ' ' || c == '\t';
            const bool literal = (c >= 33 && c <= 126 && c != '=') || (blank && i + 1 < line.size());
            char token[3] = {static_cast<char>(c), 0, 0};
            std::size_t n = 1;
            if (!literal) token[0] = '=', token[1] = kHex[c >> 4], token[2] = kHex[c & 15], n = 3;
            if (width + n > 75) {  // 75 + the soft break's "=": 76
                out += "=\r\n";
                width = 0;
            }
            out.append(token, n);
            width += n;
        }
        if (last) break;
        out += kCrlf;
        pos = nl + 1;
    }
    return out;
}

std::string rfc5322_date(TimePoint t) {
    using namespace std::chrono;
    static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kDays[weekday{day}.c_encoding()],
                  unsigned(ymd.day()), kMonths[unsigned(ymd.month()) - 1], int(ymd.year()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()));
    return buf;
}

Lang text_lang(std::string_view text) {
    // Han characters weigh as a word each, ASCII letters as a letter: an English
    // line naming a Chinese customer stays English, and the reverse.
    auto score = [](std::string_view s) {
        long han = 0, letters = 0;
        for (std::size_t i = 0, len = 0; i < s.size(); i += len) {
            const char32_t cp = decode(s, i, len);
            han += is_han(cp);
            letters += is_ascii_letter(cp);
        }
        return std::pair{han, letters};
    };
    const std::string plain = split_fences(text).text;
    const auto lines = nonempty_lines(plain);
    auto [han, letters] = score(lines.empty() ? std::string_view{} : lines.front());
    if (han == 0 && letters == 0) std::tie(han, letters) = score(text);
    return 4 * han > letters ? Lang::zh : Lang::en;
}

std::string subject(const Outbound& out, Lang lang) {
    const auto plain = split_fences(out.text).text;
    const auto lines = nonempty_lines(plain);
    std::string s;
    if (out.kind == MessageKind::reminder && !lines.empty()) {
        // The first line says what kind of reminder; the second names the task.
        const auto detail = words_of(lines.size() > 1 ? lines[1] : lines[0]);
        s = std::string(lang == Lang::zh ? "跟进提醒：" : "Follow-up due: ") + std::string(detail);
    } else if (!lines.empty()) {
        s = std::string(words_of(lines.front()));
    }
    if (s.empty()) s = "followupd";
    return cut(one_line(s), kMaxSubjectBytes);
}

std::string plain_body(const Outbound& out, Lang lang) {
    std::string body = split_fences(out.text).text;
    if (const auto commands = commands_of(out); !commands.empty()) {
        body += "\n\n" + std::string(commands_heading(lang));
        for (const auto& b : commands) body += "\n  " + b.command + (b.label.empty() ? "" : "   (" + b.label + ")");
    }
    return body + "\n";
}

std::string html_body(const Outbound& out, Lang lang) {
    const auto fenced = split_fences(out.text);
    std::string html = std::string("<!DOCTYPE html>\n<html lang=\"") + (lang == Lang::zh ? "zh" : "en") +
                       "\">\n<head><meta charset=\"utf-8\"></head>\n<body>\n<div style=\"font-family:sans-serif\">";
    auto prose = [&](std::string_view part) {
        std::size_t pos = 0;
        while (pos <= part.size()) {
            std::size_t nl = part.find('\n', pos);
            if (nl == std::string_view::npos) nl = part.size();
            html += escape_html(part.substr(pos, nl - pos));
            if (nl < part.size()) html += "<br>\n";
            pos = nl + 1;
        }
    };
    std::size_t at = 0;
    for (const auto& block : fenced.blocks) {
        std::string_view before = std::string_view(fenced.text).substr(at, block.begin - at);
        if (before.ends_with('\n')) before.remove_suffix(1);  // the <pre> starts a line of its own
        prose(before);
        html += "\n<pre style=\"font-family:monospace\">" +
                escape_html(std::string_view(fenced.text).substr(block.begin, block.end - block.begin)) + "</pre>\n";
        at = block.end;
        if (at < fenced.text.size() && fenced.text[at] == '\n') ++at;
    }
    prose(std::string_view(fenced.text).substr(std::min(at, fenced.text.size())));
    html += "</div>\n";
    if (const auto commands = commands_of(out); !commands.empty()) {
        html += "<p>" + escape_html(commands_heading(lang)) + "</p>\n<ul>\n";
        for (const auto& b : commands) {
            html += "<li><code>" + escape_html(b.command) + "</code>";
            if (!b.label.empty()) html += " (" + escape_html(b.label) + ")";
            html += "</li>\n";
        }
        html += "</ul>\n";
    }
    return html + "</body>\n</html>\n";
}

Rendering render(const Outbound& out, const Options& o, TimePoint now, std::string_view unique) {
    Rendering r;
    const std::string to = out.chat_id.empty() ? out.recipient : out.chat_id;
    if (!valid_address(to)) {
        r.problem = "not an e-mail address: \"" + cut(one_line(to), 80) + "\"";
        return r;
    }
    if (!valid_address(o.from)) {
        r.problem = "email.from is not an e-mail address";
        return r;
    }
    if (unique.empty() || !std::all_of(unique.begin(), unique.end(), [](char c) {
            return is_ascii_letter(static_cast<unsigned char>(c)) || (c >= '0' && c <= '9') || c == '.';
        }))
        throw std::invalid_argument("email::render: unique must be letters, digits and dots");
    const Lang lang = text_lang(out.text);
    Rendered m;
    m.to = to;
    m.message_id = "<" + std::string(unique) + "@" + std::string(domain_of(o.from)) + ">";
    const std::string boundary = "=_fu_" + std::string(unique);

    std::string& d = m.data;
    d += "From: ";
    if (const auto name = trim(one_line(o.from_name)); !name.empty()) d += display_name(cut(name, 200), 6) + " ";
    d += "<" + o.from + ">\r\n";
    d += "To: <" + to + ">\r\n";
    d += "Subject: " + encode_header(subject(out, lang), 9) + "\r\n";
    d += "Date: " + rfc5322_date(now) + "\r\n";
    d += "Message-ID: " + m.message_id + "\r\n";
    if (valid_msg_id(out.replace_ref)) {
        d += "In-Reply-To: " + out.replace_ref + "\r\n";
        d += "References: " + out.replace_ref + "\r\n";
    }
    d += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: no vacation replies to reminders
    d += "MIME-Version: 1.0\r\n";
    d += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
    d += "\r\n";
    d += "This is a MIME message with a plain text and an HTML part.\r\n";
    auto part = [&](std::string_view type, const std::string& body) {
        d += "--" + boundary + "\r\n";
        d += "Content-Type: " + std::string(type) + "; charset=utf-8\r\n";
        d += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
        d += quoted_printable(body);
        if (!d.ends_with(kCrlf)) d += kCrlf;
    };
    part("text/plain", plain_body(out, lang));
    part("text/html", html_body(out, lang));
    d += "--" + boundary + "--\r\n";
    r.message = std::move(m);
    return r;
}

SendResult interpret(const SmtpOutcome& o, const std::string& message_id) {
    using S = SendResult::Status;
    SendResult r;
    switch (o.kind) {
        case SmtpOutcome::Kind::ok:
            r.status = S::sent;
            r.message_ref = message_id;
            return r;
        case SmtpOutcome::Kind::transport: r.status = S::retry; break;
        case SmtpOutcome::Kind::local: r.status = S::failed; break;
        case SmtpOutcome::Kind::refused:
            // 552 (storage exceeded) is to be treated as 452; other 5xx are permanent.
            r.status = o.reply_code >= 500 && o.reply_code <= 599 && o.reply_code != 552 ? S::failed : S::retry;
            break;
    }
    r.error = "smtp";
    if (o.reply_code > 0) r.error += " " + std::to_string(o.reply_code);
    if (!o.text.empty()) r.error += ": " + o.text;
    return r;
}

}  // namespace fu::adapters::email
