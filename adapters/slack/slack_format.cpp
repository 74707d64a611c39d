// The pure half of the Slack adapter: request signatures, webhook bodies in,
// Web API bodies out, answers mapped to SendResult. No I/O here (see slack.cpp).
#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "adapters/json_fields.hpp"
#include "adapters/slack/slack.hpp"
#include "net/crypto.hpp"

namespace fu::adapters::slack {

namespace {

using fields::id_at;
using fields::object_at;
using fields::string_at;

using nlohmann::json;

constexpr auto kReplace = json::error_handler_t::replace;  // invalid UTF-8 must not throw
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026, one UTF-16 unit

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string trim(std::string_view s) {
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return std::string(s);
}

// Slack's message markup back to what was typed: "<mailto:a@b.com|a@b.com>" ->
// "a@b.com", "<https://x>" -> "https://x", "<@U1>" -> "@U1", and the
// entities &amp; &lt; &gt; decoded (in one pass, so "&amp;lt;" stays "&lt;").
std::string unslack(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '<') {
            const auto close = text.find('>', i + 1);
            if (close != std::string_view::npos) {
                std::string_view inner = text.substr(i + 1, close - i - 1);
                const auto bar = inner.find('|');
                std::string_view shown = bar == std::string_view::npos ? inner : inner.substr(bar + 1);
                if (bar == std::string_view::npos && (inner.starts_with("@") || inner.starts_with("#")))
                    shown = inner;  // a user or channel without a label
                else if (bar == std::string_view::npos && inner.starts_with("!"))
                    shown = inner.substr(1);  // <!here>
                out += unslack(shown);
                i = close + 1;
                continue;
            }
        }
        if (text[i] == '&') {
            static constexpr std::pair<std::string_view, char> kEntities[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}};
            bool matched = false;
            for (const auto& [entity, c] : kEntities)
                if (text.substr(i, entity.size()) == entity) {
                    out += c;
                    i += entity.size();
                    matched = true;
                    break;
                }
            if (matched) continue;
        }
        out += text[i++];
    }
    return out;
}

std::string inbound_text(std::string_view text, std::string_view bot_user_id) {
    return trim(unslack(strip_mention(text, bot_user_id)));
}

// Cuts text to max_units UTF-16 units (escaping it first when `esc`), with "…" when cut.
std::string fit(std::string_view text, std::size_t max_units, bool esc) {
    if (text.empty()) return std::string(kEllipsis);
    std::string out;
    out.reserve(std::min(text.size() + 16, max_units * 4 + 4));
    std::size_t units = 0, cut = 0;
    const std::size_t keep = max_units == 0 ? 0 : max_units - 1;
    bool over = false;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        if (i + len > text.size()) len = text.size() - i;
        std::string_view piece = text.substr(i, len);
        if (esc && c == '&')
            piece = "&amp;";
        else if (esc && c == '<')
            piece = "&lt;";
        else if (esc && c == '>')
            piece = "&gt;";
        const std::size_t u = len == 4 ? 2 : piece.size() > 1 && c < 0x80 ? piece.size() : 1;
        if (units + u > max_units) {
            over = true;
            break;
        }
        units += u;
        out += piece;
        if (units <= keep) cut = out.size();
        i += len;
    }
    if (!over) return out;
    out.resize(cut);
    while (!out.empty() && blank(out.back())) out.pop_back();
    return out + std::string(kEllipsis);
}

json blocks_json(std::string_view text, const std::vector<Button>& buttons) {
    json blocks = json::array();
    blocks.push_back(
        {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", fit(text, kMaxSectionChars, true)}}}});
    json elements = json::array();
    for (const auto& b : buttons) {
        if (elements.size() == kMaxButtons) break;
        if (b.command.empty() || b.command.size() > kMaxButtonValue) continue;
        const std::string& label = b.label.empty() ? b.command : b.label;
        elements.push_back({{"type", "button"},
                            {"text", {{"type", "plain_text"}, {"text", fit(label, kMaxButtonLabel, false)}}},
                            {"value", b.command},
                            {"action_id", "fu_" + std::to_string(elements.size())}});
    }
    if (!elements.empty()) blocks.push_back({{"type", "actions"}, {"elements", std::move(elements)}});
    return blocks;
}

bool is_transient(std::string_view error) {
    static constexpr std::string_view kTransient[] = {"ratelimited",      "rate_limited",        "internal_error",
                                                      "fatal_error",      "service_unavailable", "request_timeout",
                                                      "team_added_to_org"};
    return std::find(std::begin(kTransient), std::end(kTransient), error) != std::end(kTransient);
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view header) {
    header = std::string_view(header).substr(0, header.find_last_not_of(" \t") + 1);
    while (!header.empty() && blank(header.front())) header.remove_prefix(1);
    long long n = 0;
    auto [ptr, ec] = std::from_chars(header.data(), header.data() + header.size(), n);
    if (header.empty() || ec != std::errc() || ptr != header.data() + header.size() || n < 0) return std::nullopt;
    return std::chrono::seconds(std::min<long long>(n, 3600));
}

}  // namespace

// ---- signatures ------------------------------------------------------------------

std::string sign_v0(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string base;
    base.reserve(4 + timestamp.size() + body.size());
    base.append("v0:").append(timestamp).append(":").append(body);
    const std::string mac = net::crypto::hmac_sha256(secret, base);
    if (mac.empty()) return {};
    return "v0=" + net::crypto::hex(mac);
}

std::string signature_problem(std::string_view secret, std::string_view timestamp_header,
                              std::string_view signature_header, std::string_view body, TimePoint now,
                              std::chrono::seconds window) {
    if (timestamp_header.empty()) return "missing X-Slack-Request-Timestamp";
    if (signature_header.empty()) return "missing X-Slack-Signature";
    std::int64_t ts = 0;
    auto [ptr, ec] = std::from_chars(timestamp_header.data(), timestamp_header.data() + timestamp_header.size(), ts);
    if (ec != std::errc() || ptr != timestamp_header.data() + timestamp_header.size() || ts < 0 ||
        timestamp_header.size() > 12)
        return "X-Slack-Request-Timestamp is not a Unix time in seconds";
    const std::int64_t skew = to_unix(now) - ts;
    if (skew > window.count() || -skew > window.count())
        return "X-Slack-Request-Timestamp is more than " + std::to_string(window.count()) + " s from now";
    if (secret.empty()) return "no signing secret is configured";
    const std::string expected = sign_v0(secret, timestamp_header, body);
    if (expected.empty()) return "the signature could not be computed";
    if (!net::crypto::constant_time_equal(signature_header, expected)) return "X-Slack-Signature does not match";
    return {};
}

// ---- webhooks in ---------------------------------------------------------------------

std::optional<Form> parse_form(std::string_view body) {
    if (!boost::urls::parse_query(body)) return std::nullopt;  // checked first: the view below throws
    boost::urls::encoding_opts opt;
    opt.space_as_plus = true;
    const boost::urls::params_view params(body, opt);
    Form form;
    for (auto p : params)
        if (!p.key.empty()) form.emplace_back(std::move(p.key), std::move(p.value));
    return form;
}

const std::string* form_field(const Form& form, std::string_view key) {
    for (const auto& [k, v] : form)
        if (k == key) return &v;
    return nullptr;
}

std::string strip_mention(std::string_view text, std::string_view bot_user_id) {
    std::string out;
    std::size_t i = 0;
    bool first = true;
    while (i < text.size()) {
        const auto open = text.find("<@", i);
        if (open == std::string_view::npos) break;
        const auto close = text.find('>', open);
        if (close == std::string_view::npos) break;
        std::string_view inner = text.substr(open + 2, close - open - 2);
        inner = inner.substr(0, inner.find('|'));  // <@U123|name>
        const bool leading = first && trim(text.substr(0, open)).empty();
        first = false;
        if (bot_user_id.empty() ? leading : inner == bot_user_id) {
            out.append(text.substr(i, open - i));
            i = close + 1;
        } else {
            out.append(text.substr(i, close + 1 - i));
            i = close + 1;
        }
    }
    out.append(text.substr(i));
    return trim(out);
}

std::optional<Parsed> parse_event(std::string_view json_text, std::string_view bot_user_id) {
    const json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    const std::string* type = string_at(j, "type");
    if (!type) return std::nullopt;
    Parsed out;
    if (*type == "url_verification") {
        const std::string* challenge = string_at(j, "challenge");
        if (!challenge) return std::nullopt;
        out.challenge = *challenge;
        return out;
    }
    if (*type != "event_callback") return out;  // app_rate_limited, …
    const json* event = object_at(j, "event");
    const std::string* event_id = id_at(j, "event_id");
    if (!event || !event_id) return std::nullopt;

    const std::string* etype = string_at(*event, "type");
    if (!etype || (*etype != "message" && *etype != "app_mention")) return out;
    // Edits, joins, bot messages (ours included) and anything without a person behind it.
    if (event->contains("bot_id") || event->contains("subtype")) return out;
    const std::string* user = id_at(*event, "user");
    const std::string* channel = id_at(*event, "channel");
    const std::string* text = string_at(*event, "text");
    if (!user || !channel || !text) return out;
    if (!bot_user_id.empty() && *user == bot_user_id) return out;
    const std::string* channel_type = string_at(*event, "channel_type");
    const bool im = channel_type && *channel_type == "im";
    if (*etype == "message" && !im) return out;  // channel chatter: only mentions are for us

    Inbound in;
    in.platform = "slack";
    in.event_id = *event_id;
    in.user_id = *user;
    in.chat_id = *channel;
    in.direct = im;
    in.text = inbound_text(*text, bot_user_id);
    if (in.text.empty()) return out;
    out.inbound = std::move(in);
    return out;
}

std::optional<Parsed> parse_command(std::string_view form_body) {
    auto form = parse_form(form_body);
    if (!form) return std::nullopt;
    const std::string* user = form_field(*form, "user_id");
    const std::string* channel = form_field(*form, "channel_id");
    const std::string* trigger = form_field(*form, "trigger_id");
    if (!user || user->empty() || !channel || channel->empty() || !trigger || trigger->empty()) return std::nullopt;
    const std::string* text = form_field(*form, "text");
    Inbound in;
    in.platform = "slack";
    in.event_id = *trigger;
    in.user_id = *user;
    in.chat_id = *channel;
    in.direct = channel->starts_with("D");
    in.text = text ? trim(unslack(*text)) : std::string();
    if (in.text.empty()) in.text = "help";  // a bare `/followup`
    Parsed out;
    out.inbound = std::move(in);
    return out;
}

std::optional<Parsed> parse_interaction(std::string_view form_body) {
    auto form = parse_form(form_body);
    if (!form) return std::nullopt;
    const std::string* payload = form_field(*form, "payload");
    if (!payload) return std::nullopt;
    const json p = json::parse(*payload, nullptr, false);
    if (p.is_discarded() || !p.is_object()) return std::nullopt;
    const std::string* type = string_at(p, "type");
    if (!type) return std::nullopt;
    Parsed out;
    if (*type != "block_actions") return out;  // shortcuts, view submissions, …
    const json* user = object_at(p, "user");
    const std::string* user_id = user ? id_at(*user, "id") : nullptr;
    auto actions = p.find("actions");
    if (!user_id || actions == p.end() || !actions->is_array() || actions->empty()) return std::nullopt;
    const json& action = (*actions)[0];
    const std::string* value = string_at(action, "value");
    const std::string* action_ts = id_at(action, "action_ts");
    const json* container = object_at(p, "container");
    const std::string* channel = container ? id_at(*container, "channel_id") : nullptr;
    const std::string* message_ts = container ? id_at(*container, "message_ts") : nullptr;
    if (!channel)
        if (const json* c = object_at(p, "channel")) channel = id_at(*c, "id");
    // Selects, buttons in modals or without a value: nothing for followupd.
    if (!value || value->empty() || !action_ts || !channel || !message_ts) return out;

    Inbound in;
    in.platform = "slack";
    in.event_id = *action_ts + ":" + *user_id;
    in.user_id = *user_id;
    in.chat_id = *channel;
    in.direct = channel->starts_with("D");
    in.text = *value;
    in.button = true;
    in.message_ref = *channel + ":" + *message_ts;
    out.inbound = std::move(in);
    return out;
}

// ---- messages out ----------------------------------------------------------------------

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

std::string fit_escaped(std::string_view text, std::size_t max_units) { return fit(text, max_units, true); }

std::string render_blocks(std::string_view text, const std::vector<Button>& buttons) {
    return blocks_json(text, buttons).dump(-1, ' ', false, kReplace);
}

std::optional<ApiCall> render(const Outbound& out, const std::string& channel) {
    json body;
    ApiCall call;
    if (!out.replace_ref.empty()) {
        const auto colon = out.replace_ref.find(':');
        if (colon == 0 || colon == std::string::npos || colon + 1 == out.replace_ref.size()) return std::nullopt;
        call.method = "chat.update";
        body["channel"] = out.replace_ref.substr(0, colon);
        body["ts"] = out.replace_ref.substr(colon + 1);
    } else {
        call.method = "chat.postMessage";
        body["channel"] = channel;
    }
    body["text"] = fit(out.text, kMaxFallbackChars, true);
    body["blocks"] = blocks_json(out.text, out.buttons);
    call.body = body.dump(-1, ' ', false, kReplace);
    return call;
}

ApiCall render_open(const std::string& user_id) {
    return ApiCall{"conversations.open", json{{"users", user_id}}.dump(-1, ' ', false, kReplace)};
}

std::optional<std::string> opened_channel(std::string_view body) {
    const json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto ok = j.find("ok");
    if (ok == j.end() || !ok->is_boolean() || !ok->get<bool>()) return std::nullopt;
    const json* channel = object_at(j, "channel");
    const std::string* id = channel ? id_at(*channel, "id") : nullptr;
    if (!id) return std::nullopt;
    return *id;
}

SendResult interpret(unsigned http_status, std::string_view retry_after_header, std::string_view body,
                     const std::string& channel) {
    using S = SendResult::Status;
    SendResult r;
    const json j = json::parse(body, nullptr, false);
    const bool is_obj = !j.is_discarded() && j.is_object();
    const std::string* error = is_obj ? string_at(j, "error") : nullptr;
    const bool success = http_status >= 200 && http_status < 300;
    std::string detail = error ? *error : std::string();
    auto describe = [&] {
        if (success && !detail.empty()) return detail;
        std::string text = "HTTP " + std::to_string(http_status);
        if (!detail.empty()) text += ": " + detail;
        return text;
    };

    if (http_status == 429) {
        r.status = S::retry;
        r.retry_after = parse_retry_after(retry_after_header);
        if (detail.empty()) detail = "ratelimited";
        r.error = describe();
        return r;
    }
    if (http_status >= 500) {
        r.status = S::retry;
        r.error = describe();
        return r;
    }
    if (success && is_obj) {
        auto ok = j.find("ok");
        if (ok != j.end() && ok->is_boolean() && ok->get<bool>()) {
            r.status = S::sent;
            const std::string* answered = id_at(j, "channel");  // chat.* answer with the channel id
            r.chat_id = answered ? *answered : channel;
            if (const std::string* ts = id_at(j, "ts")) r.message_ref = r.chat_id + ":" + *ts;
            return r;
        }
        if (detail.empty()) detail = "ok is not true";
        r.error = describe();
        if (is_transient(detail)) {
            r.status = S::retry;
            r.retry_after = parse_retry_after(retry_after_header);
        } else {
            r.status = S::failed;  // channel_not_found, not_in_channel, invalid_auth, …
        }
        return r;
    }
    if (success) {
        r.status = S::retry;  // a 2xx we cannot read
        r.error = describe() + " (unreadable answer)";
        return r;
    }
    r.error = describe();
    r.status = http_status >= 400 ? S::failed : S::retry;  // 1xx/3xx: not a Web API answer
    return r;
}

}  // namespace fu::adapters::slack
