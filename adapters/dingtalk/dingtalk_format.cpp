// The pure half of the DingTalk adapter: callback signs, callback bodies in,
// robot message bodies out, answers mapped to SendResult. No I/O here (see dingtalk.cpp).
#include <boost/url/parse.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

#include "adapters/dingtalk/dingtalk.hpp"
#include "adapters/json_fields.hpp"
#include "net/crypto.hpp"

namespace fu::adapters::dingtalk {

namespace {

using fields::id_at;
using fields::integer_at;
using fields::string_at;

using nlohmann::json;

constexpr auto kReplace = json::error_handler_t::replace;     // invalid UTF-8 must not throw
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";        // U+2026
constexpr std::string_view kZeroWidthSpace = "\xE2\x80\x8B";  // U+200B
constexpr int kTooFast[] = {130101, 130102};                  // a robot's "send too fast" errcodes

std::string dump(const json& j) { return j.dump(-1, ' ', false, kReplace); }

bool list_contains(const json& obj, const char* key, std::string_view value) {
    if (value.empty() || !obj.is_object()) return false;
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_array()) return false;
    return std::any_of(it->begin(), it->end(),
                       [&](const json& v) { return v.is_string() && v.get_ref<const std::string&>() == value; });
}

// conversationType is a string in the documentation; a number is taken too.
std::optional<bool> direct_of(const json& obj) {
    auto it = obj.find("conversationType");
    if (it == obj.end()) return std::nullopt;
    if (it->is_string()) {
        const auto& s = it->get_ref<const std::string&>();
        if (s == "1") return true;
        if (s == "2") return false;
    } else if (it->is_number_integer()) {
        if (it->get<int>() == 1) return true;
        if (it->get<int>() == 2) return false;
    }
    return std::nullopt;
}

// ASCII blanks, NBSP and the ideographic space (what follows an @mention).
std::size_t blank_at(std::string_view s, std::size_t i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return 1;
    if (s.substr(i, 2) == "\xC2\xA0") return 2;
    if (s.substr(i, 3) == "\xE3\x80\x80") return 3;
    return 0;
}

std::string trim(std::string_view s) {
    std::size_t n = 0;
    while (!s.empty() && (n = blank_at(s, 0)) > 0) s.remove_prefix(n);
    for (bool cut = true; cut && !s.empty();) {
        cut = false;
        for (std::size_t len : {1u, 2u, 3u})
            if (s.size() >= len && blank_at(s, s.size() - len) == len) {
                s.remove_suffix(len);
                cut = true;
                break;
            }
    }
    return std::string(s);
}

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// At most max_chars code points, ending with "…" when cut (never inside a UTF-8 sequence).
std::string cut(std::string_view text, std::size_t max_chars) {
    std::size_t chars = 0, keep = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (continuation(text[i])) continue;
        if (chars + 1 == max_chars) keep = i;  // where the ellipsis goes if the text is too long
        if (++chars > max_chars) return trim(text.substr(0, keep)) + std::string(kEllipsis);
    }
    return std::string(text);
}

// Text shown as it is written in a Markdown message:
// - line breaks kept ("  \n" is a Markdown line break);
// - no link or HTML tag can form: a zero-width space follows each ']' and '<';
// - no line becomes a heading, quote or list ("#  customer", "- x", "1. x"):
//   a zero-width space goes before such a first character;
// - runs of spaces kept, as a table's columns need: Markdown folds them and
//   drops those that start a line, so all but a lone space between words are
//   no-break spaces.
std::string markdown_escape(std::string_view text) {
    constexpr std::string_view kNoBreakSpace = "\xC2\xA0";  // U+00A0
    constexpr std::string_view kLineMarkers = "#>-*+=_|`0123456789";
    std::string out;
    out.reserve(text.size() + 16);
    bool line_start = true, after_space = false;
    for (char c : text) {
        if (c == '\r') continue;
        if (c == '\n') {
            out += "  \n";
            line_start = true;
            after_space = false;
            continue;
        }
        if (c == ' ') {
            out += line_start || after_space ? kNoBreakSpace : " ";
            line_start = false;
            after_space = true;
            continue;
        }
        if (line_start && kLineMarkers.find(c) != std::string_view::npos) out += kZeroWidthSpace;
        line_start = false;
        after_space = false;
        out += c;
        if (c == ']' || c == '<') out += kZeroWidthSpace;
    }
    return out;
}

std::string title_of(std::string_view text) {
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        std::string line = trim(text.substr(start, end - start));
        if (!line.empty()) return cut(line, kMaxTitleChars);
        start = end + 1;
    }
    return "followupd";
}

// "[label](dtmd://dingtalkclient/sendMessage?content=…)"; nothing for an unusable command.
std::string command_link(const Button& b) {
    if (trim(b.command).empty() || b.command.size() > kMaxCommandBytes) return {};
    std::string label;
    for (char c : b.label.empty() ? b.command : b.label)
        if (c != '[' && c != ']' && c != '\n' && c != '\r') label += c;
    label = trim(label);
    if (label.empty()) label = "…";
    return "[" + label + "](" + std::string(kSendMessageLink) + url_encode(b.command) + ")";
}

std::string describe(unsigned http_status, const json& j) {
    std::string text = "HTTP " + std::to_string(http_status);
    if (const std::string* code = id_at(j, "code")) text += ": " + *code;
    if (const std::string* message = id_at(j, "message")) text += " (" + *message + ")";
    return text;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           }) != haystack.end();
}

// Rate limits of the OpenAPI gateway (Forbidden.AccessDenied.QpsLimitForApi, Throttling…).
bool throttled(std::string_view code) {
    return contains_ci(code, "qpslimit") || contains_ci(code, "throttl") || contains_ci(code, "flowcontrol") ||
           contains_ci(code, "ratelimit");
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view header) {
    while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
    while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
    long long n = 0;
    auto [ptr, ec] = std::from_chars(header.data(), header.data() + header.size(), n);
    if (header.empty() || ec != std::errc() || ptr != header.data() + header.size() || n < 0) return std::nullopt;
    return std::chrono::seconds(std::min<long long>(n, 3600));
}

struct Origin {
    std::string scheme, host;
    std::uint16_t port = 0;
};

std::optional<Origin> origin_of(std::string_view url) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u || !u->has_authority() || u->has_userinfo()) return std::nullopt;
    Origin o;
    o.scheme = u->scheme();
    o.host = u->encoded_host();
    for (auto* s : {&o.scheme, &o.host})
        std::transform(s->begin(), s->end(), s->begin(), [](unsigned char c) { return std::tolower(c); });
    if (o.host.empty() || (o.scheme != "https" && o.scheme != "http")) return std::nullopt;
    o.port = u->has_port() ? u->port_number() : (o.scheme == "https" ? 443 : 80);
    if (u->has_port() && o.port == 0) return std::nullopt;
    return o;
}

json message_param(const Message& m) {
    if (m.markdown) return json{{"title", m.title}, {"text", m.text}};
    return json{{"content", m.text}};
}

const char* msg_key(const Message& m) { return m.markdown ? "sampleMarkdown" : "sampleText"; }

}  // namespace

// ---- signs ---------------------------------------------------------------------------

std::string sign(std::string_view secret, std::string_view timestamp_ms) {
    std::string base;
    base.reserve(timestamp_ms.size() + 1 + secret.size());
    base.append(timestamp_ms).append("\n").append(secret);
    const std::string mac = net::crypto::hmac_sha256(secret, base);
    if (mac.empty()) return {};
    return net::crypto::base64_encode(mac);
}

std::string signature_problem(std::string_view secret, std::string_view timestamp_header, std::string_view sign_header,
                              TimePoint now, std::chrono::milliseconds window) {
    if (timestamp_header.empty()) return "missing timestamp header";
    if (sign_header.empty()) return "missing sign header";
    std::int64_t ts = 0;
    auto [ptr, ec] = std::from_chars(timestamp_header.data(), timestamp_header.data() + timestamp_header.size(), ts);
    if (ec != std::errc() || ptr != timestamp_header.data() + timestamp_header.size() || ts < 0 ||
        timestamp_header.size() > 15)
        return "timestamp is not a Unix time in milliseconds";
    const std::int64_t skew = to_unix(now) * 1000 - ts;
    if (skew > window.count() || -skew > window.count())
        return "timestamp is more than " + std::to_string(window.count() / 1000) + " s from now";
    if (secret.empty()) return "no app secret is configured";
    const std::string expected = sign(secret, timestamp_header);
    if (expected.empty()) return "the sign could not be computed";
    if (!net::crypto::constant_time_equal(sign_header, expected)) return "sign does not match";
    return {};
}

// ---- callbacks in --------------------------------------------------------------------

std::optional<Callback> parse_callback(std::string_view json_text) {
    const json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    const std::string* msg_id = id_at(j, "msgId");
    const std::string* conversation = id_at(j, "conversationId");
    const auto direct = direct_of(j);
    if (!msg_id || !conversation || !direct) return std::nullopt;

    Callback cb;
    cb.msg_id = *msg_id;
    cb.conversation_id = *conversation;
    cb.direct = *direct;
    if (const std::string* webhook = string_at(j, "sessionWebhook")) cb.session_webhook = *webhook;
    cb.session_webhook_expires_ms = integer_at(j, "sessionWebhookExpiredTime").value_or(0);

    // Pictures, voice, files, rich text: nothing followupd understands.
    const std::string* type = string_at(j, "msgtype");
    if (!type || *type != "text") return cb;
    auto text = j.find("text");
    const std::string* content = text != j.end() ? string_at(*text, "content") : nullptr;
    // Without senderStaffId (someone outside the organisation) nobody can be linked.
    const std::string* staff = id_at(j, "senderStaffId");
    if (!content || !staff) return cb;

    Inbound in;
    in.platform = "dingtalk";
    in.event_id = *msg_id;
    in.user_id = *staff;
    in.chat_id = *conversation;
    in.direct = *direct;
    in.text = trim(*content);  // a group message starts with a blank where the @robot was
    if (in.text.empty()) return cb;
    cb.inbound = std::move(in);
    return cb;
}

bool webhook_allowed(std::string_view url, std::string_view api_base) {
    const auto hook = origin_of(url);
    if (!hook) return false;
    const bool dingtalk_host = hook->host == "dingtalk.com" || hook->host.ends_with(".dingtalk.com");
    if (hook->scheme == "https" && hook->port == 443 && dingtalk_host) return true;
    const auto base = origin_of(api_base);
    return base && base->scheme == hook->scheme && base->host == hook->host && base->port == hook->port;
}

// ---- messages out --------------------------------------------------------------------

std::string url_encode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

Message render(const Outbound& out) {
    std::vector<std::string> links;
    for (const auto& b : out.buttons) {
        if (links.size() == kMaxButtons) break;
        if (std::string link = command_link(b); !link.empty()) links.push_back(std::move(link));
    }
    const std::string body = cut(out.text, kMaxTextChars);
    Message m;
    if (links.empty()) {
        m.text = body.empty() ? std::string(kEllipsis) : body;
        return m;
    }
    m.markdown = true;
    m.title = title_of(out.text);
    m.text = markdown_escape(body) + "\n\n";
    for (std::size_t i = 0; i < links.size(); ++i) m.text += (i ? " | " : "") + links[i];
    return m;
}

std::string webhook_body(const Message& m) {
    if (m.markdown) return dump(json{{"msgtype", "markdown"}, {"markdown", message_param(m)}});
    return dump(json{{"msgtype", "text"}, {"text", message_param(m)}});
}

std::string batch_send_body(const Message& m, std::string_view robot_code, std::string_view user_id) {
    return dump(json{{"robotCode", robot_code},
                     {"userIds", json::array({user_id})},
                     {"msgKey", msg_key(m)},
                     {"msgParam", dump(message_param(m))}});
}

std::string group_send_body(const Message& m, std::string_view robot_code, std::string_view conversation_id) {
    return dump(json{{"robotCode", robot_code},
                     {"openConversationId", conversation_id},
                     {"msgKey", msg_key(m)},
                     {"msgParam", dump(message_param(m))}});
}

std::string token_request_body(std::string_view app_key, std::string_view app_secret) {
    return dump(json{{"appKey", app_key}, {"appSecret", app_secret}});
}

AccessToken parse_token(unsigned http_status, std::string_view body) {
    const json j = json::parse(body, nullptr, false);
    const bool is_obj = !j.is_discarded() && j.is_object();
    const std::string* token = is_obj ? id_at(j, "accessToken") : nullptr;
    if (http_status < 200 || http_status >= 300 || !token)
        throw TokenError("accessToken: " + describe(http_status, is_obj ? j : json::object()) +
                         (is_obj ? "" : " (unreadable answer)"));
    AccessToken t;
    t.value = *token;
    if (auto expire = integer_at(j, "expireIn"); expire && *expire > 0)
        t.lifetime = std::chrono::seconds(std::min<std::int64_t>(*expire, 86400));
    return t;
}

bool token_refused(unsigned http_status, std::string_view body) {
    if (http_status < 400 || http_status > 403) return false;
    const json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return false;
    const std::string* code = string_at(j, "code");
    const std::string* message = string_at(j, "message");
    if (code && *code == "InvalidAuthentication") return true;
    for (const std::string* s : {code, message}) {
        if (!s || !contains_ci(*s, "token")) continue;
        if (contains_ci(*s, "invalid") || contains_ci(*s, "expire") || s->find("不合法") != std::string::npos ||
            s->find("过期") != std::string::npos)
            return true;
    }
    return false;
}

SendResult interpret(unsigned http_status, std::string_view retry_after_header, std::string_view body,
                     std::string_view user_id) {
    using S = SendResult::Status;
    SendResult r;
    static const json kNone = json::object();
    const json parsed = json::parse(body, nullptr, false);
    const bool is_obj = !parsed.is_discarded() && parsed.is_object();
    const json& j = is_obj ? parsed : kNone;
    r.error = describe(http_status, j);
    if (http_status == 429) {
        r.status = S::retry;
        r.retry_after = parse_retry_after(retry_after_header);
        return r;
    }
    if (http_status >= 500) {
        r.status = S::retry;
        return r;
    }
    if (http_status >= 200 && http_status < 300) {
        if (!is_obj) {
            r.status = S::retry;
            r.error += " (unreadable answer)";
            return r;
        }
        if (list_contains(j, "invalidStaffIdList", user_id)) {
            r.status = S::failed;
            r.error = "DingTalk does not know user " + std::string(user_id) + " (invalidStaffIdList)";
            return r;
        }
        if (list_contains(j, "flowControlledStaffIdList", user_id)) {
            r.status = S::retry;
            r.error = "flow controlled for user " + std::string(user_id);
            return r;
        }
        r.status = S::sent;
        r.error.clear();
        if (const std::string* key = id_at(j, "processQueryKey")) r.message_ref = *key;
        return r;
    }
    const std::string* code = string_at(j, "code");
    r.status = http_status >= 400 && !(code && throttled(*code)) ? S::failed : S::retry;
    return r;
}

WebhookAnswer interpret_webhook(unsigned http_status, std::string_view body) {
    using S = SendResult::Status;
    WebhookAnswer a;
    const json j = json::parse(body, nullptr, false);
    const bool is_obj = !j.is_discarded() && j.is_object();
    a.result.error = "HTTP " + std::to_string(http_status);
    if (http_status == 429 || http_status >= 500) {
        a.result.status = S::retry;
        return a;
    }
    if (http_status >= 200 && http_status < 300) {
        if (!is_obj) {
            a.result.status = S::retry;
            a.result.error += " (unreadable answer)";
            return a;
        }
        const auto errcode = integer_at(j, "errcode").value_or(0);
        if (errcode == 0) {
            a.result.status = S::sent;
            a.result.error.clear();
            return a;
        }
        a.result.error = "errcode " + std::to_string(errcode);
        if (const std::string* msg = id_at(j, "errmsg")) a.result.error += " (" + *msg + ")";
        if (std::find(std::begin(kTooFast), std::end(kTooFast), errcode) != std::end(kTooFast)) {
            a.result.status = S::retry;
            return a;
        }
    }
    if (http_status < 200 || (http_status >= 300 && http_status < 400)) {
        a.result.status = S::retry;
        return a;
    }
    a.result.status = S::failed;
    a.gone = true;
    return a;
}

}  // namespace fu::adapters::dingtalk
