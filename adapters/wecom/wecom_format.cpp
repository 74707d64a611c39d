// The pure half of the WeCom adapter: signatures, the AES envelope, callback XML
// in, API bodies out, answers mapped to SendResult. No I/O here (see wecom.cpp).
// Past 500 lines on purpose: WeCom's protocol is one piece (the signature,
// the AES envelope with its own padding and corp id, the XML both ways), checked
// whole against the official test vectors in tests/unit/adapters/wecom_test.cpp.
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include "adapters/wecom/wecom.hpp"
#include "net/crypto.hpp"

namespace fu::adapters::wecom {

namespace {

namespace crypto = net::crypto;
using nlohmann::json;

constexpr auto kReplace = json::error_handler_t::replace;  // invalid UTF-8 must not throw
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026
constexpr std::size_t kBlock = 32;                         // WeCom pads to 32 bytes, not AES's 16
constexpr std::size_t kRandomBytes = 16;
constexpr std::string_view kKeyPrefix = "c_";
// Where a card without buttons keeps its one required button, greyed out by replace_text.
constexpr std::string_view kDoneMark = "\xE2\x9C\x93";  // ✓
constexpr std::string_view kNoCommandKey = "fu_none";

// errcodes (WeCom's global error code list).
constexpr long long kSystemBusy = -1;
constexpr long long kInvalidToken = 40014;
constexpr long long kTokenExpired = 42001;
constexpr long long kRateLimited = 45009;    // api freq out of limit
constexpr long long kTooConcurrent = 45033;  // too many concurrent calls
constexpr long long kUntrustedIp = 60020;    // this server's IP is not in the application's 可信IP

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string trim(std::string_view s) {
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::size_t sequence_length(char lead) {
    const auto c = static_cast<unsigned char>(lead);
    return c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
}

// Cuts text to `max` units, where cost(piece) is what one UTF-8 sequence costs.
template <class Cost>
std::string fit(std::string_view text, std::size_t max, Cost cost) {
    if (text.empty()) return std::string(kEllipsis);
    const std::size_t ellipsis = cost(kEllipsis);
    std::size_t used = 0, cut = 0;  // cut: where the text ends when an ellipsis must follow
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = std::min(sequence_length(text[i]), text.size() - i);
        const std::size_t c = cost(text.substr(i, len));
        if (used + c > max) {
            std::string out(text.substr(0, cut));
            while (!out.empty() && blank(out.back())) out.pop_back();
            return out + std::string(kEllipsis);
        }
        used += c;
        i += len;
        if (used + ellipsis <= max) cut = i;
    }
    return std::string(text);
}

std::size_t byte_cost(std::string_view piece) { return piece.size(); }
// In half 字: ASCII is half as wide as a CJK character.
std::size_t width_cost(std::string_view piece) { return piece.size() == 1 ? 1 : 2; }

std::optional<std::int64_t> unix_seconds(std::string_view s) {
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || s.size() > 12 || ec != std::errc() || ptr != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

// pugixml never expands entities beyond the five predefined ones and skips
// DOCTYPE declarations: a hostile body cannot make it fetch or balloon.
std::optional<pugi::xml_node> xml_root(pugi::xml_document& doc, std::string_view xml) {
    if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8)) return std::nullopt;
    pugi::xml_node root = doc.child("xml");
    if (!root) return std::nullopt;
    return root;
}

std::string field(const pugi::xml_node& root, const char* name) { return trim(root.child_value(name)); }

struct StringWriter : pugi::xml_writer {
    std::string out;
    void write(const void* data, std::size_t size) override { out.append(static_cast<const char*>(data), size); }
};

std::string to_string(const pugi::xml_document& doc) {
    StringWriter w;
    doc.save(w, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
    return w.out;
}

// pugixml splits a "]]>" inside the value over two CDATA sections.
void add_cdata(pugi::xml_node& parent, const char* name, std::string_view value) {
    parent.append_child(name).append_child(pugi::node_cdata).set_value(std::string(value).c_str());
}

void add_number(pugi::xml_node& parent, const char* name, std::string_view value) {
    parent.append_child(name).text().set(std::string(value).c_str());
}

std::string base64url(std::string_view bytes) {
    std::string s = crypto::base64_encode(bytes);
    while (!s.empty() && s.back() == '=') s.pop_back();
    for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return s;
}

std::optional<std::string> from_base64url(std::string_view text) {
    std::string s;
    s.reserve(text.size() + 3);
    for (char c : text) {
        if (c == '+' || c == '/' || c == '=') return std::nullopt;
        s += c == '-' ? '+' : c == '_' ? '/' : c;
    }
    if (s.size() % 4 == 1) return std::nullopt;
    while (s.size() % 4 != 0) s += '=';
    return crypto::base64_decode(s);
}

json buttons_json(const std::vector<Button>& buttons) {
    json list = json::array();
    std::vector<std::string> keys;
    for (const auto& b : buttons) {
        if (list.size() == kMaxButtons) break;
        if (b.command.empty()) continue;
        std::string key = button_key(b.command);
        if (key.empty() || std::find(keys.begin(), keys.end(), key) != keys.end()) continue;  // keys must be unique
        const std::string& label = b.label.empty() ? b.command : b.label;
        list.push_back({{"text", fit_width(label, kMaxButtonWidth)}, {"key", key}});
        keys.push_back(std::move(key));
    }
    return list;
}

// A card's text: the first non-blank line is the title, the rest below it.
struct CardText {
    std::string title;
    std::string rest;
};

CardText card_text(std::string_view text) {
    CardText out;
    while (out.title.empty() && !text.empty()) {
        const auto nl = text.find('\n');
        out.title = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
    out.rest = trim(text);
    return out;
}

bool fits_card(std::string_view text) {
    const CardText t = card_text(text);
    return t.rest.empty() || fit_width(t.rest, kMaxSubtitleWidth) == t.rest;
}

// A button_interaction card: the first line is the title, the rest below it
// (unless only the title is wanted).
json card_json(const Outbound& out, std::string_view task_id, json buttons, bool title_only = false) {
    const CardText text = card_text(out.text);
    json card = {{"card_type", "button_interaction"},
                 {"main_title", {{"title", fit_width(text.title, kMaxTitleWidth)}}},
                 {"task_id", std::string(task_id)},
                 {"button_list", std::move(buttons)}};
    if (!title_only && !text.rest.empty()) card["sub_title_text"] = fit_width(text.rest, kMaxSubtitleWidth);
    return card;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, kReplace); }

std::optional<long long> errcode_of(const json& j) {
    if (!j.is_object()) return std::nullopt;
    auto it = j.find("errcode");
    if (it == j.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<long long>();
}

std::string errmsg_of(const json& j) {
    auto it = j.find("errmsg");
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

// ---- the envelope ------------------------------------------------------------------

std::optional<std::string> aes_key(std::string_view encoding_aes_key) {
    static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (encoding_aes_key.size() != 43) return std::nullopt;
    std::string text(encoding_aes_key);
    const auto last = kAlphabet.find(text.back());
    if (last == std::string_view::npos) return std::nullopt;
    text.back() = kAlphabet[last & ~std::size_t{3}];  // 43 characters carry 258 bits: the last 2 are unused
    auto key = crypto::base64_decode(text + "=");
    if (!key || key->size() != 32) return std::nullopt;
    return key;
}

std::string sign(std::string_view token, std::string_view timestamp, std::string_view nonce, std::string_view encrypt) {
    std::array<std::string_view, 4> parts{token, timestamp, nonce, encrypt};
    std::sort(parts.begin(), parts.end());
    std::string joined;
    for (auto p : parts) joined.append(p);
    return crypto::hex(crypto::sha1(joined));
}

std::string encrypt(std::string_view key, std::string_view message, std::string_view receive_id,
                    std::string_view random16) {
    if (key.size() != 32 || random16.size() != kRandomBytes || message.size() > 0xFFFFFFFFu) return {};
    std::string plain;
    plain.reserve(kRandomBytes + 4 + message.size() + receive_id.size() + kBlock);
    plain.append(random16);
    const auto n = static_cast<std::uint32_t>(message.size());
    for (int shift = 24; shift >= 0; shift -= 8) plain += static_cast<char>((n >> shift) & 0xFF);
    plain.append(message).append(receive_id);
    auto sealed = crypto::aes256_cbc_encrypt(key, key.substr(0, 16), crypto::pkcs7_pad(plain, kBlock));
    return sealed ? crypto::base64_encode(*sealed) : std::string();
}

std::string encrypt(std::string_view key, std::string_view message, std::string_view receive_id) {
    return encrypt(key, message, receive_id, crypto::random_bytes(kRandomBytes));
}

Decrypted decrypt(std::string_view key, std::string_view encrypted) {
    Decrypted out;
    if (key.size() != 32) {
        out.problem = "the AES key is not 32 bytes";
        return out;
    }
    auto sealed = crypto::base64_decode(encrypted);
    if (!sealed) {
        out.problem = "the ciphertext is not base64";
        return out;
    }
    if (sealed->empty() || sealed->size() % kBlock != 0) {
        out.problem =
            "the ciphertext is truncated (" + std::to_string(sealed->size()) + " bytes, not a multiple of 32)";
        return out;
    }
    auto padded = crypto::aes256_cbc_decrypt(key, key.substr(0, 16), *sealed);
    if (!padded) {
        out.problem = "AES decryption failed";
        return out;
    }
    auto plain = crypto::pkcs7_unpad(*padded, kBlock);
    if (!plain) {
        out.problem = "the PKCS#7 padding is wrong (another EncodingAESKey?)";
        return out;
    }
    if (plain->size() < kRandomBytes + 4) {
        out.problem = "the plaintext is shorter than its header";
        return out;
    }
    std::size_t n = 0;
    for (std::size_t i = kRandomBytes; i < kRandomBytes + 4; ++i)
        n = (n << 8) | static_cast<unsigned char>((*plain)[i]);
    const std::size_t body = plain->size() - kRandomBytes - 4;
    if (n > body) {
        out.problem = "the message length field exceeds the plaintext";
        return out;
    }
    out.message = plain->substr(kRandomBytes + 4, n);
    out.receive_id = plain->substr(kRandomBytes + 4 + n);
    return out;
}

// ---- callbacks in ------------------------------------------------------------------

std::optional<CallbackQuery> parse_query(std::string_view target) {
    CallbackQuery q;
    const auto mark = target.find('?');
    if (mark == std::string_view::npos) return q;
    std::string_view rest = target.substr(mark + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        const auto eq = pair.find('=');
        auto key = crypto::percent_decode(pair.substr(0, eq));
        auto value = crypto::percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
        if (!key || !value) return std::nullopt;
        std::string* slot = *key == "msg_signature" ? &q.msg_signature
                            : *key == "timestamp"   ? &q.timestamp
                            : *key == "nonce"       ? &q.nonce
                            : *key == "echostr"     ? &q.echostr
                                                    : nullptr;
        if (slot && slot->empty()) *slot = std::move(*value);
    }
    return q;
}

Opened open(const Secrets& secrets, const CallbackQuery& query, std::string_view encrypted, TimePoint now,
            std::chrono::seconds window) {
    auto refuse = [](unsigned status, std::string problem) { return Opened{status, std::move(problem), {}}; };
    if (query.msg_signature.empty()) return refuse(401, "missing msg_signature");
    if (query.timestamp.empty()) return refuse(401, "missing timestamp");
    if (query.nonce.empty()) return refuse(401, "missing nonce");
    const auto ts = unix_seconds(query.timestamp);
    if (!ts) return refuse(401, "timestamp is not a Unix time in seconds");
    const std::int64_t skew = to_unix(now) - *ts;
    if (skew > window.count() || -skew > window.count())
        return refuse(401, "timestamp is more than " + std::to_string(window.count()) + " s from now");
    const std::string expected = sign(secrets.token, query.timestamp, query.nonce, encrypted);
    if (!crypto::constant_time_equal(query.msg_signature, expected)) return refuse(401, "msg_signature does not match");
    Decrypted d = decrypt(secrets.key, encrypted);
    if (!d.problem.empty()) return refuse(400, std::move(d.problem));
    if (d.receive_id != secrets.corp_id) return refuse(401, "the receive id is not this application's CorpID");
    return Opened{200, {}, std::move(d.message)};
}

std::optional<std::string> envelope_encrypt(std::string_view xml) {
    pugi::xml_document doc;
    auto root = xml_root(doc, xml);
    if (!root || !root->child("Encrypt")) return std::nullopt;
    return field(*root, "Encrypt");
}

std::optional<Parsed> parse_message(std::string_view xml) {
    pugi::xml_document doc;
    auto root = xml_root(doc, xml);
    if (!root) return std::nullopt;
    const std::string from = field(*root, "FromUserName");
    const std::string created = field(*root, "CreateTime");
    if (from.empty() || !unix_seconds(created)) return std::nullopt;
    const std::string type = field(*root, "MsgType");

    Inbound in;
    in.platform = "wecom";
    in.user_id = from;
    in.chat_id = from;  // an application's chats are one to one: the member is the chat
    in.direct = true;
    Parsed out;
    if (type == "text") {
        const std::string msg_id = field(*root, "MsgId");
        if (msg_id.empty()) return std::nullopt;
        in.event_id = msg_id;
        in.text = field(*root, "Content");
        if (in.text.empty()) return out;
    } else if (type == "event" && field(*root, "Event") == "template_card_event") {
        const std::string task_id = field(*root, "TaskId");
        if (task_id.empty() || !root->child("EventKey")) return std::nullopt;
        const std::string key = field(*root, "EventKey");
        auto command = command_of(key);
        if (!command) return out;  // a key followupd did not make
        // No MsgId on card events: what WeCom repeats when it retries names the press.
        in.event_id = "card-" + crypto::hex(crypto::sha1(from + "\n" + created + "\n" + task_id + "\n" + key));
        in.text = std::move(*command);
        in.button = true;
        in.message_ref = message_ref(task_id, field(*root, "ResponseCode"));
    } else {
        return out;  // images, voice, enter_agent, menu events, …
    }
    out.inbound = std::move(in);
    return out;
}

std::string message_ref(std::string_view task_id, std::string_view response_code) {
    std::string ref(task_id);
    if (!response_code.empty()) ref.append(":").append(response_code);
    return ref;
}

std::string button_key(std::string_view command) {
    if (command.empty()) return {};
    std::string key = std::string(kKeyPrefix) + base64url(command);
    return key.size() <= kMaxKeyBytes ? key : std::string();
}

std::optional<std::string> command_of(std::string_view key) {
    if (!key.starts_with(kKeyPrefix) || key.size() == kKeyPrefix.size()) return std::nullopt;
    auto command = from_base64url(key.substr(kKeyPrefix.size()));
    if (!command || command->empty()) return std::nullopt;
    return command;
}

std::string new_task_id(TimePoint now) {
    return "fu-" + std::to_string(to_unix(now)) + "-" + crypto::hex(crypto::random_bytes(8));
}

std::string fit_bytes(std::string_view text, std::size_t max_bytes) { return fit(text, max_bytes, byte_cost); }
std::string fit_width(std::string_view text, std::size_t max_width) { return fit(text, max_width * 2, width_cost); }

// ---- passive replies ---------------------------------------------------------------------

std::string reply_xml(std::string_view to_user, std::string_view corp_id, std::int64_t create_time,
                      std::string_view text) {
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("xml");
    add_cdata(root, "ToUserName", to_user);
    add_cdata(root, "FromUserName", corp_id);
    add_number(root, "CreateTime", std::to_string(create_time));
    add_cdata(root, "MsgType", "text");
    add_cdata(root, "Content", fit_bytes(text, kMaxTextBytes));
    return to_string(doc);
}

std::string envelope_xml(std::string_view token, std::string_view encrypted, std::string_view timestamp,
                         std::string_view nonce) {
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("xml");
    add_cdata(root, "Encrypt", encrypted);
    add_cdata(root, "MsgSignature", sign(token, timestamp, nonce, encrypted));
    add_number(root, "TimeStamp", timestamp);
    add_cdata(root, "Nonce", nonce);
    return to_string(doc);
}

// ---- messages out ------------------------------------------------------------------------

namespace {

// WeCom's own guard against a message sent twice: with enable_duplicate_check,
// message/send drops a message to the same members with the same content as
// one sent within duplicate_check_interval. It goes by content, not by a key
// of ours, so it is asked for only on a retry, whose first attempt may have
// arrived: a first attempt is never dropped for repeating an earlier message
// (a rep who asks `today` twice gets two answers).
void duplicate_check(json& body, const Outbound& out) {
    if (!out.retry) return;
    body["enable_duplicate_check"] = 1;
    body["duplicate_check_interval"] = kDuplicateCheckSeconds;
}

}  // namespace

ApiCall render_send(const Outbound& out, std::string_view touser, long long agent_id, std::string_view task_id) {
    json buttons = buttons_json(out.buttons);
    json body = {{"touser", std::string(touser)}, {"agentid", agent_id}};
    ApiCall call;
    call.path = "/cgi-bin/message/send";
    if (buttons.empty() || !fits_card(out.text)) {
        body["msgtype"] = "text";
        body["text"] = {{"content", fit_bytes(out.text, kMaxTextBytes)}};
    } else {
        body["msgtype"] = "template_card";
        body["template_card"] = card_json(out, task_id, std::move(buttons));
        call.ref = std::string(task_id);
    }
    duplicate_check(body, out);
    call.body = dump(body);
    return call;
}

std::optional<ApiCall> render_buttons_card(const Outbound& out, std::string_view touser, long long agent_id,
                                           std::string_view task_id) {
    json buttons = buttons_json(out.buttons);
    if (buttons.empty() || fits_card(out.text)) return std::nullopt;
    json body = {{"touser", std::string(touser)},
                 {"agentid", agent_id},
                 {"msgtype", "template_card"},
                 {"template_card", card_json(out, task_id, std::move(buttons), true)}};
    duplicate_check(body, out);
    return ApiCall{"/cgi-bin/message/send", dump(body), std::string(task_id)};
}

std::optional<ApiCall> render_update(const Outbound& out, std::string_view userid, long long agent_id) {
    const std::string_view ref = out.replace_ref;
    const auto colon = ref.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon + 1 == ref.size()) return std::nullopt;
    const std::string_view task_id = ref.substr(0, colon);
    json buttons = buttons_json(out.buttons);
    const bool finished = buttons.empty();
    if (finished)
        buttons.push_back(
            {{"text", std::string(kDoneMark)}, {"key", std::string(kNoCommandKey)}});  // button_list may not be empty
    json card = card_json(out, task_id, std::move(buttons));
    if (finished) card["replace_text"] = std::string(kDoneMark);
    json body = {{"userids", json::array({std::string(userid)})},
                 {"agentid", agent_id},
                 {"response_code", std::string(ref.substr(colon + 1))},
                 {"template_card", std::move(card)}};
    return ApiCall{"/cgi-bin/message/update_template_card", dump(body), std::string(task_id)};
}

SendResult interpret(unsigned http_status, std::string_view body, const std::string& touser, const std::string& ref) {
    using S = SendResult::Status;
    SendResult r;
    const json j = json::parse(body, nullptr, false);
    const auto errcode = j.is_discarded() ? std::nullopt : errcode_of(j);
    const std::string errmsg = errcode ? errmsg_of(j) : std::string();
    const std::string code_text = errcode ? "errcode " + std::to_string(*errcode) + ": " + errmsg : std::string();

    if (http_status == 429 || http_status >= 500) {
        r.status = S::retry;
        r.error = "HTTP " + std::to_string(http_status) + (code_text.empty() ? "" : " (" + code_text + ")");
        return r;
    }
    if (http_status < 200 || http_status >= 300) {
        r.status = http_status >= 400 ? S::failed : S::retry;  // 1xx/3xx: not an API answer
        r.error = "HTTP " + std::to_string(http_status);
        return r;
    }
    if (!errcode) {
        r.status = S::retry;
        r.error = "HTTP " + std::to_string(http_status) + " (unreadable answer)";
        return r;
    }
    r.error = code_text;
    switch (*errcode) {
        case 0: {
            auto invalid = j.find("invaliduser");
            if (invalid != j.end() && invalid->is_string() && !invalid->get<std::string>().empty()) {
                r.status = S::failed;
                r.error = "invaliduser: " + invalid->get<std::string>();
                return r;
            }
            r.status = S::sent;
            r.error.clear();
            r.chat_id = touser;
            r.message_ref = ref;
            if (r.message_ref.empty()) {
                auto msgid = j.find("msgid");
                if (msgid != j.end() && msgid->is_string()) r.message_ref = msgid->get<std::string>();
            }
            return r;
        }
        case kSystemBusy:
        case kInvalidToken:
        case kTokenExpired: r.status = S::retry; return r;
        case kRateLimited:
        case kTooConcurrent:
            r.status = S::retry;
            r.retry_after = std::chrono::seconds(60);
            return r;
        case kUntrustedIp:
            // Waits for an administrator to add this server to the application's trusted IPs.
            r.status = S::retry;
            r.error += " (add this server's IP to the application's trusted IPs, 可信IP)";
            return r;
        default:
            r.status = S::failed;  // 81013 unknown member, 40003 invalid userid, 42039 bad key, …
            return r;
    }
}

bool token_refused(std::string_view body) {
    const json j = json::parse(body, nullptr, false);
    const auto errcode = j.is_discarded() ? std::nullopt : errcode_of(j);
    return errcode && (*errcode == kInvalidToken || *errcode == kTokenExpired);
}

AccessToken parse_token(std::string_view body) {
    const json j = json::parse(body, nullptr, false);
    const auto errcode = j.is_discarded() ? std::nullopt : errcode_of(j);
    if (!errcode) throw TokenError("gettoken: unreadable answer");
    if (*errcode != 0) throw TokenError("gettoken: errcode " + std::to_string(*errcode) + ": " + errmsg_of(j));
    auto token = j.find("access_token");
    if (token == j.end() || !token->is_string() || token->get<std::string>().empty())
        throw TokenError("gettoken: no access_token in the answer");
    AccessToken out;
    out.value = token->get<std::string>();
    auto expires = j.find("expires_in");
    if (expires != j.end() && expires->is_number_integer() && expires->get<long long>() > 0)
        out.lifetime = std::chrono::seconds(expires->get<long long>());
    return out;
}

}  // namespace fu::adapters::wecom
