// The pure half of the Telegram adapter: updates in, Bot API bodies out, answers
// mapped to SendResult. No I/O here (see telegram.cpp).
#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "adapters/json_fields.hpp"
#include "adapters/telegram/telegram.hpp"

namespace fu::adapters::telegram {

namespace {

using fields::object_at;
using fields::string_at;

using nlohmann::json;

constexpr auto kReplace = json::error_handler_t::replace;  // invalid UTF-8 must not throw

// A Telegram id (int64, sometimes given as a string) as text.
std::optional<std::string> id_text(const json& obj, const char* key) {
    if (!obj.is_object()) return std::nullopt;
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
    if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
    if (it->is_string() && !it->get_ref<const std::string&>().empty()) return it->get<std::string>();
    return std::nullopt;
}

// Retry-After in delta-seconds (the form Telegram and its proxies send);
// capped at an hour, as for the other platforms. nullopt: absent, zero or unreadable.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view header) {
    while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
    while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
    long long n = 0;
    auto [ptr, ec] = std::from_chars(header.data(), header.data() + header.size(), n);
    if (header.empty() || ec != std::errc() || ptr != header.data() + header.size() || n <= 0) return std::nullopt;
    return std::chrono::seconds(std::min<long long>(n, 3600));
}

// "/today@FollowupBot tomorrow" -> "/today tomorrow": in groups commands name the bot.
std::string strip_bot_mention(std::string text) {
    if (text.empty() || text[0] != '/') return text;
    const auto end = text.find_first_of(" \t\n");
    const auto at = text.find('@');
    if (at != std::string::npos && (end == std::string::npos || at < end))
        text.erase(at, (end == std::string::npos ? text.size() : end) - at);
    return text;
}

// Number when the id is an int64 in decimal (chat ids, message ids), else the string.
json id_json(const std::string& id) {
    std::int64_t n = 0;
    const char* first = id.data();
    const char* last = id.data() + id.size();
    auto [ptr, ec] = std::from_chars(first, last, n);
    if (!id.empty() && ec == std::errc() && ptr == last && id[0] != '+') return n;
    return id;
}

json keyboard(const std::vector<Button>& buttons) {
    json rows = json::array();
    json row = json::array();
    for (const auto& b : buttons) {
        if (b.command.empty() || b.command.size() > kMaxCallbackBytes) continue;
        std::string label = b.label.empty() ? b.command : b.label;
        row.push_back({{"text", std::move(label)}, {"callback_data", b.command}});
        if (row.size() == kButtonsPerRow) {
            rows.push_back(std::move(row));
            row = json::array();
        }
    }
    if (!row.empty()) rows.push_back(std::move(row));
    return json{{"inline_keyboard", std::move(rows)}};
}

std::optional<Update> parse_object(const json& u) {
    if (!u.is_object()) return std::nullopt;
    auto uid = u.find("update_id");
    if (uid == u.end() || !uid->is_number_integer()) return std::nullopt;
    Update out;
    out.update_id = uid->get<std::int64_t>();
    const std::string event_id = "u" + std::to_string(out.update_id);

    if (auto it = u.find("message"); it != u.end()) {
        const json& m = *it;
        if (!m.is_object()) return std::nullopt;
        const json* chat = object_at(m, "chat");
        auto chat_id = chat ? id_text(*chat, "id") : std::nullopt;
        if (!chat_id) return std::nullopt;
        const std::string* text = string_at(m, "text");
        const json* from = object_at(m, "from");
        auto user_id = from ? id_text(*from, "id") : std::nullopt;
        // Photos, stickers, joins…; messages without a sender (channels) or from bots.
        if (!text || !user_id) return out;
        if (auto bot = from->find("is_bot"); bot != from->end() && bot->is_boolean() && bot->get<bool>()) return out;
        const std::string* type = string_at(*chat, "type");
        Inbound in;
        in.platform = "telegram";
        in.event_id = event_id;
        in.user_id = *user_id;
        in.chat_id = *chat_id;
        in.direct = type && *type == "private";
        in.text = strip_bot_mention(*text);
        out.inbound = std::move(in);
        return out;
    }

    if (auto it = u.find("callback_query"); it != u.end()) {
        const json& q = *it;
        if (!q.is_object()) return std::nullopt;
        auto qid = id_text(q, "id");
        if (!qid) return std::nullopt;
        out.callback_query_id = *qid;
        const json* from = object_at(q, "from");
        auto user_id = from ? id_text(*from, "id") : std::nullopt;
        if (!user_id) return std::nullopt;
        const std::string* data = string_at(q, "data");
        const json* message = object_at(q, "message");
        // Games and inline-mode messages (no message): answered, otherwise ignored.
        if (!data || !message) return out;
        const json* chat = object_at(*message, "chat");
        auto chat_id = chat ? id_text(*chat, "id") : std::nullopt;
        auto message_id = id_text(*message, "message_id");
        if (!chat_id || !message_id) return std::nullopt;
        const std::string* type = string_at(*chat, "type");
        Inbound in;
        in.platform = "telegram";
        in.event_id = event_id;
        in.user_id = *user_id;
        in.chat_id = *chat_id;
        in.direct = !type || *type == "private";
        in.text = *data;
        in.button = true;
        in.message_ref = *message_id;
        out.inbound = std::move(in);
        return out;
    }
    return out;  // edited_message, channel_post, my_chat_member, …
}

std::string describe(unsigned status, const json& j) {
    std::string text = "HTTP " + std::to_string(status);
    if (j.is_object()) {
        if (auto it = j.find("error_code");
            it != j.end() && it->is_number_integer() && it->get<long long>() != static_cast<long long>(status))
            text += " (error_code " + std::to_string(it->get<long long>()) + ")";
        if (const std::string* d = string_at(j, "description")) text += ": " + *d;
        if (const json* p = object_at(j, "parameters"))
            if (auto m = id_text(*p, "migrate_to_chat_id")) text += " (the group is now chat " + *m + ")";
    }
    return text;
}

}  // namespace

std::optional<Update> parse_update(std::string_view json_text) {
    json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    return parse_object(j);
}

std::optional<UpdateBatch> parse_updates(std::string_view json_text) {
    json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    auto ok = j.find("ok");
    auto result = j.find("result");
    if (ok == j.end() || !ok->is_boolean() || !ok->get<bool>() || result == j.end() || !result->is_array())
        return std::nullopt;
    UpdateBatch batch;
    for (const auto& item : *result) {
        if (item.is_object())
            if (auto uid = item.find("update_id"); uid != item.end() && uid->is_number_integer())
                batch.max_update_id =
                    std::max(batch.max_update_id.value_or(uid->get<std::int64_t>()), uid->get<std::int64_t>());
        if (auto u = parse_object(item)) batch.updates.push_back(std::move(*u));
    }
    return batch;
}

std::size_t utf16_units(std::string_view text) {
    std::size_t units = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c & 0xC0) == 0x80) continue;   // continuation byte
        units += (c >> 3) == 0x1E ? 2 : 1;  // outside the BMP: a surrogate pair
    }
    return units;
}

std::string fit_text(std::string_view text, std::size_t max_units) {
    static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one UTF-16 unit
    if (text.empty()) return std::string(kEllipsis);
    // Walk code points; remember where the text would be cut for the ellipsis.
    std::size_t units = 0, cut = 0;
    const std::size_t keep = max_units == 0 ? 0 : max_units - 1;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        if (i + len > text.size()) len = text.size() - i;
        const std::size_t u = len == 4 ? 2 : 1;  // outside the BMP: a surrogate pair
        if (units + u <= keep) cut = i + len;
        units += u;
        i += len;
        if (units > max_units) break;
    }
    if (units <= max_units) return std::string(text);
    std::string out(text.substr(0, cut));
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n' || out.back() == '\t')) out.pop_back();
    return out + std::string(kEllipsis);
}

std::string render_keyboard(const std::vector<Button>& buttons) {
    return keyboard(buttons).dump(-1, ' ', false, kReplace);
}

ApiCall render(const Outbound& out) {
    const std::string& chat = out.chat_id.empty() ? out.recipient : out.chat_id;
    json body{{"chat_id", id_json(chat)}};
    ApiCall call;
    if (!out.replace_ref.empty()) {
        call.method = "editMessageText";
        body["message_id"] = id_json(out.replace_ref);
    } else {
        call.method = "sendMessage";
    }
    // Tables arrive in Markdown fences; Telegram shows them monospace as
    // "pre" entities (offsets in UTF-16 units), with no escaping to get wrong.
    const adapters::Fenced fenced = adapters::split_fences(out.text);
    std::string text = fit_text(fenced.text);
    json entities = json::array();
    for (const auto& b : fenced.blocks) {
        if (b.begin >= text.size()) break;
        const std::size_t end = std::min(b.end, text.size());
        entities.push_back({{"type", "pre"},
                            {"offset", utf16_units(std::string_view(text).substr(0, b.begin))},
                            {"length", utf16_units(std::string_view(text).substr(b.begin, end - b.begin))}});
    }
    body["text"] = std::move(text);
    if (!entities.empty()) body["entities"] = std::move(entities);
    json markup = keyboard(out.buttons);
    // An edit always carries the keyboard: an empty one removes the old buttons.
    if (!out.replace_ref.empty() || !markup["inline_keyboard"].empty()) body["reply_markup"] = std::move(markup);
    call.body = body.dump(-1, ' ', false, kReplace);
    return call;
}

SendResult interpret(unsigned http_status, std::string_view retry_after_header, std::string_view body, bool edit,
                     const std::string& chat_id, const std::string& replace_ref) {
    using S = SendResult::Status;
    SendResult r;
    const json j = json::parse(body, nullptr, false);
    const bool is_obj = !j.is_discarded() && j.is_object();
    long long code = http_status;
    if (is_obj)
        if (auto it = j.find("error_code"); it != j.end() && it->is_number_integer()) code = it->get<long long>();
    const bool ok = is_obj && j.contains("ok") && j["ok"].is_boolean() && j["ok"].get<bool>();

    if (ok && http_status >= 200 && http_status < 300) {
        r.status = S::sent;
        r.chat_id = chat_id;
        r.message_ref = replace_ref;  // an edit answers `true` (or the message)
        if (const json* m = object_at(j, "result")) {
            if (auto id = id_text(*m, "message_id")) r.message_ref = *id;
            if (const json* chat = object_at(*m, "chat"))
                if (auto c = id_text(*chat, "id")) r.chat_id = *c;
        }
        return r;
    }
    r.error = describe(http_status, is_obj ? j : json());
    if (http_status == 429 || code == 429) {
        r.status = S::retry;
        // The wait may come in the body (parameters.retry_after), in a
        // Retry-After header (a proxy in front of the Bot API, or the API
        // itself), or both: the longer one is the one that holds.
        if (const json* p = is_obj ? object_at(j, "parameters") : nullptr)
            if (auto it = p->find("retry_after"); it != p->end() && it->is_number_integer() && it->get<long long>() > 0)
                r.retry_after = std::chrono::seconds(it->get<long long>());
        const auto header = parse_retry_after(retry_after_header);
        if (header && (!r.retry_after || *header > *r.retry_after)) r.retry_after = header;
        return r;
    }
    if (http_status >= 500 || code >= 500 || (http_status >= 200 && http_status < 300)) {
        r.status = S::retry;  // server trouble, or a 2xx we cannot read
        if (!is_obj) r.error += " (unreadable answer)";
        return r;
    }
    if (http_status >= 400 || code >= 400) {
        const std::string* d = is_obj ? string_at(j, "description") : nullptr;
        if (edit && d && d->find("message is not modified") != std::string::npos) {
            r.status = S::sent;
            r.chat_id = chat_id;
            r.message_ref = replace_ref;
            r.error.clear();
            return r;
        }
        r.status = S::failed;
        return r;
    }
    r.status = S::retry;  // 1xx/3xx: not a Bot API answer
    return r;
}

}  // namespace fu::adapters::telegram
