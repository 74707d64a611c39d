// The pure half of the Feishu adapter: request checks, decryption, event bodies
// in, Open API bodies out, answers mapped to SendResult. No I/O here (see feishu.cpp).
// Past 500 lines on purpose: Feishu's protocol is one piece (the signature,
// the AES envelope, event bodies both ways, cards), checked whole against the
// official test vectors in tests/unit/adapters/feishu_test.cpp.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "adapters/feishu/feishu.hpp"
#include "adapters/json_fields.hpp"
#include "net/crypto.hpp"

namespace fu::adapters::feishu {

namespace {

using fields::id_at;
using fields::object_at;
using fields::string_at;

using nlohmann::json;
namespace crypto = net::crypto;

constexpr auto kReplace = json::error_handler_t::replace;  // invalid UTF-8 must not throw
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026
constexpr std::string_view kUnsigned = "missing X-Lark-Signature (only the URL check may be unsigned)";
constexpr std::size_t kAesBlock = 16;

// Feishu's "request trigger frequency limit" (any API) and "message frequency limit" (im/v1/messages).
constexpr long long kRateLimited = 99991400;
constexpr long long kMessageRateLimited = 230020;

std::optional<long long> code_of(const json& j) {
    if (!j.is_object()) return std::nullopt;
    auto it = j.find("code");
    if (it == j.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<long long>();
}

std::optional<std::int64_t> parse_digits(std::string_view text, std::size_t max_digits) {
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || text.size() > max_digits || ec != std::errc() || ptr != text.data() + text.size() || n < 0 ||
        text[0] == '+')
        return std::nullopt;
    return n;
}

// header.create_time: a string (or number) of seconds, milliseconds or
// microseconds; Feishu uses ms for messages and µs for card callbacks.
// nullopt when absent; `bad` when present but not a time.
std::optional<TimePoint> create_time(const json& header, bool& bad) {
    auto it = header.find("create_time");
    if (it == header.end() || it->is_null()) return std::nullopt;
    std::optional<std::int64_t> n;
    if (it->is_string())
        n = parse_digits(it->get_ref<const std::string&>(), 18);
    else if (it->is_number_integer() && it->get<std::int64_t>() >= 0)
        n = it->get<std::int64_t>();
    if (!n) {
        bad = true;
        return std::nullopt;
    }
    std::int64_t seconds = *n;
    if (seconds >= 100'000'000'000'000)
        seconds /= 1'000'000;
    else if (seconds >= 100'000'000'000)
        seconds /= 1000;
    return from_unix(seconds);
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string trim(std::string_view s) {
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return std::string(s);
}

void erase_all(std::string& text, std::string_view what) {
    if (what.empty()) return;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos)) text.erase(pos, what.size());
}

// A text message's words: the placeholders of mentions ("@_user_1") removed.
// nullopt: not a text message we can read.
std::optional<std::string> message_text(const json& message, bool& mentioned) {
    const std::string* content = string_at(message, "content");
    if (!content) return std::nullopt;
    const json c = json::parse(*content, nullptr, false);
    const std::string* text = string_at(c, "text");
    if (!text) return std::nullopt;
    std::string out = *text;
    auto mentions = message.find("mentions");
    if (mentions != message.end() && mentions->is_array())
        for (const auto& m : *mentions)
            if (const std::string* key = id_at(m, "key")) {
                mentioned = true;
                erase_all(out, *key);
            }
    if (out.find("@_all") != std::string::npos) mentioned = true;
    erase_all(out, "@_all");
    return trim(out);
}

// im.message.receive_v1 -> Inbound. nullopt: malformed; an empty Parsed::inbound: ignored.
std::optional<std::optional<Inbound>> message_event(const json& event, const std::string& event_id) {
    const json* sender = object_at(event, "sender");
    const json* sender_id = sender ? object_at(*sender, "sender_id") : nullptr;
    const json* message = object_at(event, "message");
    const std::string* open_id = sender_id ? id_at(*sender_id, "open_id") : nullptr;
    const std::string* chat_id = message ? id_at(*message, "chat_id") : nullptr;
    const std::string* type = message ? string_at(*message, "message_type") : nullptr;
    if (!open_id || !chat_id || !type) return std::nullopt;
    const std::string* sender_type = string_at(*sender, "sender_type");
    if ((sender_type && *sender_type != "user") || *type != "text") return std::optional<Inbound>{};  // images, apps, …
    bool mentioned = false;
    auto text = message_text(*message, mentioned);
    if (!text) return std::nullopt;
    const std::string* chat_type = string_at(*message, "chat_type");
    const bool direct = chat_type && *chat_type == "p2p";
    // In groups followupd answers only when called: with the group-message
    // permission Feishu sends everything said there.
    if ((!direct && !mentioned) || text->empty()) return std::optional<Inbound>{};
    Inbound in;
    in.platform = "feishu";
    in.event_id = event_id;
    in.user_id = *open_id;
    in.chat_id = *chat_id;
    in.direct = direct;
    in.text = std::move(*text);
    return std::optional<Inbound>{std::move(in)};
}

// The command a button carries: value {"command": …}, or that object as a JSON string.
const std::string* button_command(const json& value, json& holder) {
    if (value.is_string()) {
        holder = json::parse(value.get_ref<const std::string&>(), nullptr, false);
        return id_at(holder, "command");
    }
    return id_at(value, "command");
}

// card.action.trigger -> Inbound. nullopt: malformed; an empty Parsed::inbound: ignored.
std::optional<std::optional<Inbound>> card_event(const json& event, const std::string& event_id) {
    const json* operator_ = object_at(event, "operator");
    const std::string* open_id = operator_ ? id_at(*operator_, "open_id") : nullptr;
    const json* action = object_at(event, "action");
    if (!open_id || !action) return std::nullopt;
    auto value = action->find("value");
    json holder;
    const std::string* command = value != action->end() ? button_command(*value, holder) : nullptr;
    if (!command) return std::optional<Inbound>{};  // a component followupd did not make
    // The card's message and chat are in context; older surfaces put them at the top.
    const json* context = object_at(event, "context");
    const json& where = context ? *context : event;
    const std::string* message_id = id_at(where, "open_message_id");
    const std::string* chat_id = id_at(where, "open_chat_id");
    Inbound in;
    in.platform = "feishu";
    in.event_id = event_id;
    in.user_id = *open_id;
    in.chat_id = chat_id ? *chat_id : std::string();
    // card.action.trigger names the chat but not its kind (p2p or group). Not
    // direct here, so that a group's chat never becomes the user's direct chat;
    // the Bot takes a press in the chat it knows as the user's direct chat
    // (from their messages, or the DM a reminder opened) as direct.
    in.direct = false;
    in.text = *command;
    in.button = true;
    in.message_ref = message_id ? *message_id : std::string();
    return std::optional<Inbound>{std::move(in)};
}

std::optional<Parsed> parse_object(const json& j) {
    if (!j.is_object()) return std::nullopt;
    Parsed out;
    const std::string* type = string_at(j, "type");
    if (type && *type == "url_verification") {
        const std::string* challenge = id_at(j, "challenge");
        if (!challenge) return std::nullopt;
        out.challenge = *challenge;
        if (const std::string* token = string_at(j, "token")) out.token = *token;
        return out;
    }
    const std::string* schema = string_at(j, "schema");
    if (!schema || *schema != "2.0") {  // v1 events: not subscribed, acknowledged after the token check
        if (const std::string* token = string_at(j, "token")) out.token = *token;
        return out;
    }
    const json* header = object_at(j, "header");
    const std::string* event_id = header ? id_at(*header, "event_id") : nullptr;
    const std::string* event_type = header ? string_at(*header, "event_type") : nullptr;
    if (!event_id || !event_type) return std::nullopt;
    out.event_type = *event_type;
    if (const std::string* token = string_at(*header, "token")) out.token = *token;
    bool bad_time = false;
    out.created = create_time(*header, bad_time);
    if (bad_time) return std::nullopt;

    std::optional<std::optional<Inbound>> inbound;
    if (*event_type == "im.message.receive_v1" || *event_type == "card.action.trigger") {
        const json* event = object_at(j, "event");
        if (!event) return std::nullopt;
        inbound =
            *event_type == "card.action.trigger" ? card_event(*event, *event_id) : message_event(*event, *event_id);
        if (!inbound) return std::nullopt;
        out.inbound = std::move(*inbound);
    }
    return out;
}

json plain_div(std::string content) {
    return {{"tag", "div"}, {"text", {{"tag", "plain_text"}, {"content", std::move(content)}}}};
}

// The card's text. Tables arrive in Markdown fences: each becomes a markdown
// element holding a code block, which Feishu shows monospace, so the columns
// line up; the text around them stays plain text (nothing in it is markup).
json text_elements(std::string_view text) {
    const std::string cut = fit(text, kMaxCardTextBytes);
    const Fenced fenced = split_fences(cut);
    json elements = json::array();
    if (fenced.blocks.empty()) {
        elements.push_back(plain_div(cut));
        return elements;
    }
    const std::string_view all = fenced.text;
    auto plain = [&](std::size_t from, std::size_t to) {
        std::string_view part = all.substr(from, to - from);
        while (!part.empty() && part.front() == '\n') part.remove_prefix(1);
        while (!part.empty() && (part.back() == '\n' || part.back() == ' ')) part.remove_suffix(1);
        if (!part.empty()) elements.push_back(plain_div(std::string(part)));
    };
    std::size_t at = 0;
    for (const auto& b : fenced.blocks) {
        plain(at, b.begin);
        const std::string block(all.substr(b.begin, b.end - b.begin));
        elements.push_back({{"tag", "markdown"}, {"content", "```\n" + block + "\n```"}});
        at = b.end;
    }
    plain(at, all.size());
    return elements;
}

bool has_fence(std::string_view text) { return !split_fences(text).blocks.empty(); }

json card_json(std::string_view text, const std::vector<Button>& buttons) {
    json elements = text_elements(text);
    json actions = json::array();
    for (const auto& b : buttons) {
        if (actions.size() == kMaxButtons) break;
        if (b.command.empty() || b.command.size() > kMaxCommandBytes) continue;
        const std::string& label = b.label.empty() ? b.command : b.label;
        actions.push_back({{"tag", "button"},
                           {"text", {{"tag", "plain_text"}, {"content", fit(label, kMaxButtonLabelBytes)}}},
                           {"type", actions.empty() ? "primary" : "default"},
                           {"value", {{"command", b.command}}}});
    }
    if (!actions.empty()) elements.push_back({{"tag", "action"}, {"actions", std::move(actions)}});
    // update_multi: a shared card, the only kind PATCH can update.
    return {{"config", {{"wide_screen_mode", true}, {"update_multi", true}}}, {"elements", std::move(elements)}};
}

bool has_buttons(const std::vector<Button>& buttons) {
    return std::any_of(buttons.begin(), buttons.end(),
                       [](const Button& b) { return !b.command.empty() && b.command.size() <= kMaxCommandBytes; });
}

// Message ids (om_…) go into the URL path: nothing else may.
bool is_message_id(std::string_view id) {
    return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

std::optional<std::chrono::seconds> parse_reset(std::string_view header) {
    while (!header.empty() && blank(header.front())) header.remove_prefix(1);
    while (!header.empty() && blank(header.back())) header.remove_suffix(1);
    auto n = parse_digits(header, 10);
    if (!n) return std::nullopt;
    return std::chrono::seconds(std::min<std::int64_t>(*n, 3600));
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, kReplace); }

}  // namespace

// ---- requests in ----------------------------------------------------------------------

std::string sign(std::string_view timestamp, std::string_view nonce, std::string_view encrypt_key,
                 std::string_view body) {
    std::string base;
    base.reserve(timestamp.size() + nonce.size() + encrypt_key.size() + body.size());
    base.append(timestamp).append(nonce).append(encrypt_key).append(body);
    return crypto::hex(crypto::sha256(base));
}

std::string signature_problem(std::string_view encrypt_key, std::string_view timestamp_header,
                              std::string_view nonce_header, std::string_view signature_header, std::string_view body,
                              TimePoint now, std::chrono::seconds window) {
    if (timestamp_header.empty()) return "missing X-Lark-Request-Timestamp";
    if (nonce_header.empty()) return "missing X-Lark-Request-Nonce";
    if (signature_header.empty()) return "missing X-Lark-Signature";
    const auto ts = parse_digits(timestamp_header, 12);
    if (!ts) return "X-Lark-Request-Timestamp is not a Unix time in seconds";
    const std::int64_t skew = to_unix(now) - *ts;
    if (skew > window.count() || -skew > window.count())
        return "X-Lark-Request-Timestamp is more than " + std::to_string(window.count()) + " s from now";
    if (encrypt_key.empty()) return "no encrypt_key is configured";
    if (!crypto::constant_time_equal(signature_header, sign(timestamp_header, nonce_header, encrypt_key, body)))
        return "X-Lark-Signature does not match";
    return {};
}

Decryption decrypt(std::string_view encrypt_key, std::string_view encrypted) {
    Decryption out;
    const auto raw = crypto::base64_decode(encrypted);
    if (!raw) {
        out.problem = "encrypt is not valid base64";
        return out;
    }
    if (raw->size() < 2 * kAesBlock) {
        out.problem = "encrypt is too short for an IV and one AES block";
        return out;
    }
    if (raw->size() % kAesBlock != 0) {
        out.problem = "encrypt is truncated: not whole AES blocks";
        return out;
    }
    const std::string key = crypto::sha256(encrypt_key);
    const std::string_view data(*raw);
    const auto padded = crypto::aes256_cbc_decrypt(key, data.substr(0, kAesBlock), data.substr(kAesBlock));
    if (!padded) {
        out.problem = "encrypt could not be decrypted";
        return out;
    }
    out.plaintext = crypto::pkcs7_unpad(*padded, kAesBlock);
    if (!out.plaintext) out.problem = "encrypt has a bad padding (a wrong encrypt_key?)";
    return out;
}

std::optional<Parsed> parse_event(std::string_view json_text) {
    return parse_object(json::parse(json_text, nullptr, false));
}

Verdict check_request(const Options& o, std::string_view timestamp_header, std::string_view nonce_header,
                      std::string_view signature_header, std::string_view body, TimePoint now) {
    Verdict v;
    auto refuse = [&v](unsigned status, std::string problem) {
        v.status = status;
        v.problem = std::move(problem);
        return v;
    };
    const bool encrypted = !o.encrypt_key.empty();
    const bool signed_request = !timestamp_header.empty() || !nonce_header.empty() || !signature_header.empty();
    if (encrypted && signed_request) {
        std::string problem = signature_problem(o.encrypt_key, timestamp_header, nonce_header, signature_header, body,
                                                now, o.signature_window);
        if (!problem.empty()) return refuse(401, std::move(problem));
    }
    // An unsigned body is read only to find a URL check; anything else in it is refused as unsigned.
    const bool must_be_check = encrypted && !signed_request;
    auto unreadable = [&](std::string problem) {
        return must_be_check ? refuse(401, std::string(kUnsigned)) : refuse(400, std::move(problem));
    };

    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return unreadable("the body is not a JSON object");
    if (encrypted) {
        const std::string* sealed = string_at(j, "encrypt");
        if (!sealed) return unreadable("the body has no \"encrypt\" (feishu.encrypt_key is set)");
        Decryption d = decrypt(o.encrypt_key, *sealed);
        if (!d.plaintext) return unreadable(std::move(d.problem));
        j = json::parse(*d.plaintext, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return unreadable("the decrypted body is not a JSON object");
    } else if (j.contains("encrypt")) {
        return refuse(400, "the body is encrypted but feishu.encrypt_key is not set");
    }
    auto parsed = parse_object(j);
    if (!parsed) return unreadable("not a Feishu URL check or schema 2.0 event with the fields it needs");
    if (must_be_check && parsed->challenge.empty()) return refuse(401, std::string(kUnsigned));

    if (!o.verification_token.empty() && !crypto::constant_time_equal(parsed->token, o.verification_token))
        return refuse(
            401, parsed->token.empty() ? "no verification token in the body" : "the verification token does not match");
    if (parsed->created) {
        const auto age = now - *parsed->created;
        if (-age > o.signature_window)
            return refuse(401, "header.create_time is more than " + std::to_string(o.signature_window.count()) +
                                   " s ahead of now");
        if (age > o.event_max_age)
            return refuse(401, "header.create_time is more than " + std::to_string(o.event_max_age.count()) +
                                   " s old (a replay?)");
    }
    v.event = std::move(*parsed);
    return v;
}

// ---- messages out ----------------------------------------------------------------------

std::string fit(std::string_view text, std::size_t max_bytes) {
    if (text.empty()) return std::string(kEllipsis);
    if (text.size() <= max_bytes) return std::string(text);
    std::size_t cut = max_bytes > kEllipsis.size() ? max_bytes - kEllipsis.size() : 0;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    std::string out(text.substr(0, cut));
    while (!out.empty() && blank(out.back())) out.pop_back();
    return out + std::string(kEllipsis);
}

std::string render_card(std::string_view text, const std::vector<Button>& buttons) {
    return dump(card_json(text, buttons));
}

std::optional<ApiCall> render(const Outbound& out) {
    ApiCall call;
    if (!out.replace_ref.empty()) {
        if (!is_message_id(out.replace_ref)) return std::nullopt;
        call.method = "PATCH";
        call.path = "/open-apis/im/v1/messages/" + out.replace_ref;
        call.body = dump(json{{"content", render_card(out.text, out.buttons)}});
        return call;
    }
    json body;
    if (!out.chat_id.empty()) {
        call.path = "/open-apis/im/v1/messages?receive_id_type=chat_id";
        body["receive_id"] = out.chat_id;
    } else if (!out.recipient.empty()) {
        call.path = "/open-apis/im/v1/messages?receive_id_type=open_id";
        body["receive_id"] = out.recipient;
    } else {
        return std::nullopt;
    }
    call.method = "POST";
    if (has_buttons(out.buttons) || has_fence(out.text)) {
        body["msg_type"] = "interactive";
        body["content"] = render_card(out.text, out.buttons);
    } else {
        body["msg_type"] = "text";
        body["content"] = dump(json{{"text", fit(out.text, kMaxTextBytes)}});
    }
    // Feishu sends at most one message per uuid within an hour: a retry of a
    // send whose answer was lost (a timeout, a restart) is not shown twice.
    if (!out.idempotency_key.empty() && out.idempotency_key.size() <= kMaxUuidBytes) body["uuid"] = out.idempotency_key;
    call.body = dump(body);
    return call;
}

ApiCall render_token_request(std::string_view app_id, std::string_view app_secret) {
    return ApiCall{"POST", "/open-apis/auth/v3/tenant_access_token/internal",
                   dump(json{{"app_id", app_id}, {"app_secret", app_secret}})};
}

AccessToken parse_token(unsigned http_status, std::string_view body) {
    const json j = json::parse(body, nullptr, false);
    const auto code = code_of(j);
    const std::string* token = code == 0 ? id_at(j, "tenant_access_token") : nullptr;
    if (http_status >= 200 && http_status < 300 && token) {
        AccessToken out{*token, std::chrono::seconds(7200)};
        auto expire = j.find("expire");
        if (expire != j.end() && expire->is_number_integer())
            out.lifetime = std::chrono::seconds(expire->get<long long>());
        return out;
    }
    std::string why = "HTTP " + std::to_string(http_status);
    if (code) why += ": code " + std::to_string(*code);
    if (const std::string* msg = string_at(j, "msg")) why += " " + *msg;
    if (!code) why += " (not a token answer)";
    throw TokenError(why);
}

bool token_refused(std::string_view body) {
    const auto code = code_of(json::parse(body, nullptr, false));
    return code == kTokenMissing || code == kTokenInvalid;
}

SendResult interpret(unsigned http_status, std::string_view ratelimit_reset_header, std::string_view body,
                     const std::string& replace_ref) {
    using S = SendResult::Status;
    SendResult r;
    const json j = json::parse(body, nullptr, false);
    const auto code = code_of(j);
    const bool success = http_status >= 200 && http_status < 300;
    if (success && code == 0) {
        r.status = S::sent;
        const json* data = object_at(j, "data");
        const std::string* message_id = data ? id_at(*data, "message_id") : nullptr;
        const std::string* chat_id = data ? id_at(*data, "chat_id") : nullptr;
        r.message_ref = message_id ? *message_id : replace_ref;
        if (chat_id) r.chat_id = *chat_id;
        return r;
    }
    r.error = "HTTP " + std::to_string(http_status);
    if (code) r.error += ": code " + std::to_string(*code);
    if (const std::string* msg = string_at(j, "msg")) r.error += " " + *msg;

    if (http_status == 429 || code == kRateLimited || code == kMessageRateLimited) {
        r.status = S::retry;
        r.retry_after = parse_reset(ratelimit_reset_header);
    } else if (http_status >= 500 || code == kTokenMissing || code == kTokenInvalid) {
        r.status = S::retry;  // a refused token was already replaced once: the next attempt gets a fresh one
    } else if (code || http_status >= 400) {
        r.status = S::failed;  // the bot is not in the chat, no permission, message too old to update, …
    } else {
        r.status = S::retry;  // an answer we cannot read
        r.error += " (unreadable answer)";
    }
    return r;
}

}  // namespace fu::adapters::feishu
