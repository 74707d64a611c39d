// The terminal chat client: one thread sends typed lines to POST /api/chat,
// another polls GET /api/messages every second for pushed reminders.
// Past 500 lines on purpose: the command is self-contained (its small HTTP
// client, the sign-in and the printer both threads share), so that
// `followupd chat` links nothing of the server.
#include "cli/chat_client.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <istream>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url.hpp>
#include <nlohmann/json.hpp>

namespace fu::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace urls = boost::urls;
using tcp = asio::ip::tcp;
using nlohmann::json;

constexpr auto kRequestTimeout = std::chrono::seconds(10);
constexpr auto kPollInterval = std::chrono::seconds(1);

struct Endpoint {
    std::string host;       // for the resolver
    std::string port;       // "8080"
    std::string authority;  // Host header
    std::string base;       // path prefix without a trailing slash ("" or "/followupd")
};

struct Response {
    unsigned status = 0;
    std::string body;
    std::string set_cookie;  // the Set-Cookie header, if any (signing in)
};

// A signed-in session: the cookie to send back and the CSRF token for POSTs.
struct Session {
    std::string cookie;  // "fu_session=…"
    std::string csrf;
};

// A network failure: cannot connect, timeout, connection lost.
struct NetError : std::runtime_error {
    beast::error_code ec;
    NetError(beast::error_code e, const std::string& what) : std::runtime_error(what), ec(e) {}
};

// One keep-alive HTTP/1.1 connection, used from one thread only. Calls block;
// each runs the asynchronous operation to completion on a private io_context so
// that tcp_stream's expiry (10 s) applies (the plain synchronous calls ignore it).
class HttpClient {
public:
    HttpClient(Endpoint ep, std::string token) : ep_(std::move(ep)), token_(std::move(token)) {}

    void set_session(Session s) { session_ = std::move(s); }

    Response request(http::verb method, const std::string& target, const std::string& body = {}) {
        const bool reused = connected_;
        try {
            return attempt(method, target, body);
        } catch (const NetError& e) {
            close();
            // The server may have closed an idle keep-alive connection: one more try on a fresh one.
            if (reused && (e.ec == http::error::end_of_stream || e.ec == asio::error::connection_reset ||
                           e.ec == asio::error::broken_pipe || e.ec == asio::error::eof))
                return attempt(method, target, body);
            throw;
        }
    }

private:
    template <class Start>
    void run(Start start, const char* what) {
        beast::error_code result;
        start([&result](beast::error_code ec, auto&&...) { result = ec; });
        ioc_.restart();
        ioc_.run();
        if (result) throw NetError(result, std::string(what) + ": " + result.message());
    }

    void connect() {
        beast::error_code ec;
        tcp::resolver resolver(ioc_);
        auto results = resolver.resolve(ep_.host, ep_.port, ec);
        if (ec) throw NetError(ec, "cannot resolve " + ep_.host + ": " + ec.message());
        stream_.emplace(ioc_);
        stream_->expires_after(kRequestTimeout);
        run([&](auto handler) { stream_->async_connect(results, std::move(handler)); }, "connect");
        connected_ = true;
    }

    void close() {
        if (stream_) {
            beast::error_code ignored;
            stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
            stream_->socket().close(ignored);
            stream_.reset();
        }
        connected_ = false;
        buffer_.clear();
    }

    Response attempt(http::verb method, const std::string& target, const std::string& body) {
        if (!connected_) connect();
        http::request<http::string_body> req{method, target, 11};
        req.set(http::field::host, ep_.authority);
        req.set(http::field::user_agent, "followupd-chat");
        req.set(http::field::accept, "application/json");
        if (!token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
        if (!session_.cookie.empty()) {
            req.set(http::field::cookie, session_.cookie);
            req.set("X-CSRF-Token", session_.csrf);
        }
        req.keep_alive(true);
        if (method == http::verb::post) {
            req.set(http::field::content_type, "application/json; charset=utf-8");
            req.body() = body;
        }
        req.prepare_payload();

        stream_->expires_after(kRequestTimeout);
        run([&](auto handler) { http::async_write(*stream_, req, std::move(handler)); }, "send");
        http::response<http::string_body> res;
        run([&](auto handler) { http::async_read(*stream_, buffer_, res, std::move(handler)); }, "receive");
        stream_->expires_never();
        if (!res.keep_alive()) close();
        std::string cookie;
        if (auto it = res.find(http::field::set_cookie); it != res.end()) cookie = std::string(it->value());
        return {res.result_int(), std::move(res.body()), std::move(cookie)};
    }

    asio::io_context ioc_;
    Endpoint ep_;
    std::string token_;
    Session session_;
    std::optional<beast::tcp_stream> stream_;
    beast::flat_buffer buffer_;
    bool connected_ = false;
};

struct Button {
    std::string label, command;
};

// All output goes through here: one block at a time, never interleaved mid-line.
class Printer {
public:
    explicit Printer(std::ostream& out) : out_(out) {}
    void print(const std::string& block) {
        std::lock_guard lock(mu_);
        out_ << block;
        if (!block.empty() && block.back() != '\n') out_ << '\n';
        out_.flush();
    }
    // The buttons of the most recent message: typing "1" presses the first.
    void set_buttons(std::vector<Button> b) {
        std::lock_guard lock(mu_);
        buttons_ = std::move(b);
    }
    std::optional<Button> button(std::size_t number) {
        std::lock_guard lock(mu_);
        if (number == 0 || number > buttons_.size()) return std::nullopt;
        return buttons_[number - 1];
    }
    // Prints a message and makes its buttons current, atomically.
    void message(const std::string& block, std::vector<Button> b) {
        std::lock_guard lock(mu_);
        out_ << block;
        out_.flush();
        buttons_ = std::move(b);
    }

private:
    std::mutex mu_;
    std::ostream& out_;
    std::vector<Button> buttons_;
};

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<Button> buttons_of(const json& j) {
    std::vector<Button> out;
    auto it = j.find("buttons");
    if (it == j.end() || !it->is_array()) return out;
    for (const auto& b : *it)
        if (b.is_object()) out.push_back({str(b, "label"), str(b, "command")});
    return out;
}

// Text, then the buttons as numbered shortcuts:  [1] Done  → done 42
// A terminal is monospace already: tables' Markdown fence lines are dropped.
std::string without_fences(const std::string& text) {
    std::string out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto nl = text.find('\n', pos);
        const auto line = std::string_view(text).substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        if (line != "```") {
            out.append(line);
            if (nl != std::string::npos) out.push_back('\n');
        }
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    return out;
}

std::string render(const std::string& header, const std::string& text, const std::vector<Button>& buttons) {
    std::string s = header.empty() ? "" : header + "\n";
    s += without_fences(text);
    if (s.empty() || s.back() != '\n') s += '\n';
    for (std::size_t i = 0; i < buttons.size(); ++i)
        s += "  [" + std::to_string(i + 1) + "] " + buttons[i].label + "  \xE2\x86\x92 " + buttons[i].command + "\n";
    return s + "\n";
}

std::string kind_header(const std::string& kind, bool zh) {
    if (kind == "reminder") return zh ? "\xE2\x8F\xB0 \xE6\x8F\x90\xE9\x86\x92 reminder" : "\xE2\x8F\xB0 reminder";
    if (kind == "catch_up")
        return zh ? "\xE2\x8F\xB0 \xE5\xBE\x85\xE5\x8A\x9E\xE6\xB1\x87\xE6\x80\xBB catch-up" : "\xE2\x8F\xB0 catch-up";
    return zh ? "\xE2\x84\xB9 \xE9\x80\x9A\xE7\x9F\xA5 notice" : "\xE2\x84\xB9 notice";
}

std::string error_text(const Response& r) {
    try {
        auto j = json::parse(r.body);
        if (j.is_object() && j.contains("error")) return str(j, "error");
    } catch (const std::exception&) {
    }
    std::string b = r.body.substr(0, 200);
    return b.empty() ? "(no details)" : b;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string messages_target(const Endpoint& ep, const std::string& user, std::optional<std::int64_t> after) {
    urls::url u;
    u.set_path(ep.base + "/api/messages");
    u.params().append({"user", user});
    if (after) u.params().append({"after", std::to_string(*after)});
    return std::string(u.encoded_path()) + "?" + std::string(u.encoded_query());
}

// Parses and prints messages; returns the highest id seen (or `last`).
std::int64_t show_messages(Printer& printer, const Response& r, std::int64_t last, bool zh) {
    json j = json::parse(r.body);
    if (!j.is_object() || !j.contains("messages") || !j["messages"].is_array()) return last;
    for (const auto& m : j["messages"]) {
        if (!m.is_object()) continue;
        std::int64_t id = m.contains("id") && m["id"].is_number_integer() ? m["id"].get<std::int64_t>() : 0;
        if (id <= last && last > 0) continue;  // already shown
        printer.message(render(kind_header(str(m, "kind"), zh), str(m, "text"), buttons_of(m)), buttons_of(m));
        last = std::max(last, id);
    }
    return last;
}

// Signs in: with --link (a sign-in link or its token), else with a code the
// server sends to the person's chat platform, typed here. nullopt: said why.
std::optional<Session> sign_in(HttpClient& client, const Endpoint& ep, const ChatOptions& options, std::istream& in,
                               Printer& printer) {
    json body;
    if (!options.link.empty()) {
        const auto at = options.link.find("#sign-in=");
        body = {{"link", at == std::string::npos ? options.link : options.link.substr(at + 9)}};
    } else {
        const json ask = {{"handle", trim(options.user)}};
        const auto sent = client.request(http::verb::post, ep.base + "/api/sign-in/code", ask.dump());
        if (sent.status != 200) {
            printer.print("followupd chat: cannot send you a sign-in code: " + error_text(sent) +
                          "\n(Or sign in with a link: type login to the bot in your chat app, then "
                          "followupd chat --as " +
                          options.user + " --link <the link>)");
            return std::nullopt;
        }
        std::string via;
        try {
            via = str(json::parse(sent.body), "sent_via");
        } catch (const std::exception&) {
        }
        printer.print("A sign-in code was sent to you on " + via + ". Type it here:");
        std::string code;
        if (!std::getline(in, code) || trim(code).empty()) return std::nullopt;
        body = {{"handle", trim(options.user)}, {"code", trim(code)}};
    }
    const auto r = client.request(http::verb::post, ep.base + "/api/sign-in", body.dump());
    if (r.status != 200) {
        printer.print("followupd chat: sign-in refused: " + error_text(r));
        return std::nullopt;
    }
    Session s;
    s.cookie = r.set_cookie.substr(0, r.set_cookie.find(';'));
    try {
        s.csrf = str(json::parse(r.body), "csrf");
    } catch (const std::exception&) {
    }
    return s;
}

}  // namespace

int run_chat(const ChatOptions& options, std::istream& in, std::ostream& out) {
    Printer printer(out);

    // --- where to connect -------------------------------------------------------
    auto parsed = urls::parse_uri(options.url);
    if (!parsed) {
        printer.print("followupd chat: cannot parse the URL \"" + options.url +
                      "\"; expected something like http://127.0.0.1:8080");
        return 2;
    }
    urls::url_view url = *parsed;
    std::string scheme = lower(std::string(url.scheme()));
    if (scheme == "https") {
        printer.print("followupd chat: https is not supported by the terminal client (" + options.url +
                      "). Use an http:// URL, e.g. http://127.0.0.1:8080 on the server's machine, or the web chat page "
                      "in a browser.");
        return 2;
    }
    if (scheme != "http" || url.encoded_host().empty()) {
        printer.print("followupd chat: \"" + options.url +
                      "\" is not an http:// URL; expected something like http://127.0.0.1:8080");
        return 2;
    }
    Endpoint ep;
    ep.host = url.host();
    if (url.host_type() == urls::host_type::ipv6) ep.host = std::string(url.encoded_host_address());
    ep.port = url.has_port() && !url.port().empty() ? std::string(url.port()) : "80";
    ep.authority = std::string(url.encoded_host_and_port());
    ep.base = std::string(url.encoded_path());
    while (!ep.base.empty() && ep.base.back() == '/') ep.base.pop_back();
    const std::string shown_url = options.url;

    HttpClient chat(ep, options.token);
    Session session;

    // --- who are we -----------------------------------------------------------------
    Response users_res;
    try {
        users_res = chat.request(http::verb::get, ep.base + "/api/users");
        // A server where people sign in: with the link given, or with a code sent to the person's chat platform.
        if (users_res.status == 401 && error_text(users_res).starts_with("sign in")) {
            auto s = sign_in(chat, ep, options, in, printer);
            if (!s) return 1;
            session = *s;
            chat.set_session(session);
            users_res = chat.request(http::verb::get, ep.base + "/api/users");
        }
    } catch (const NetError& e) {
        std::string why = e.ec == asio::error::connection_refused ? "connection refused" : e.what();
        printer.print("followupd chat: cannot connect to followupd at " + shown_url + " (" + why +
                      "). Is the server running? Start it with: followupd run --config config/demo.json");
        return 1;
    }
    if (users_res.status == 401) {
        printer.print("followupd chat: the server at " + shown_url +
                      (options.token.empty() ? " needs a token: pass --token <web_chat.token>"
                                             : " refused the token given with --token"));
        return 1;
    }
    if (users_res.status != 200) {
        printer.print("followupd chat: GET /api/users at " + shown_url + " answered " +
                      std::to_string(users_res.status) + ": " + error_text(users_res) +
                      (users_res.status == 404 ? " (is web_chat.enabled false on the server?)" : ""));
        return 1;
    }
    json users;
    try {
        users = json::parse(users_res.body).at("users");
        if (!users.is_array()) throw std::runtime_error("not a list");
    } catch (const std::exception&) {
        printer.print("followupd chat: " + shown_url + " does not look like followupd (bad /api/users answer)");
        return 1;
    }
    const json* me = nullptr;
    for (const auto& u : users)
        if (u.is_object() && lower(str(u, "handle")) == lower(trim(options.user))) me = &u;
    if (!me) {
        std::string list = "followupd chat: no user \"" + options.user + "\" on " + shown_url + ". Users:\n";
        for (const auto& u : users) {
            if (!u.is_object()) continue;
            list += "  " + str(u, "handle") + "  " + str(u, "name") + " (" + str(u, "role");
            if (!str(u, "team").empty()) list += ", " + str(u, "team");
            list += ")\n";
        }
        if (users.empty()) list += "  (none)\n";
        list += "Try: followupd chat --as <handle>";
        printer.print(list);
        return 2;
    }
    const std::string handle = str(*me, "handle");
    const std::string name = str(*me, "name").empty() ? handle : str(*me, "name");
    const bool zh = str(*me, "lang") == "zh";

    printer.print(zh ? "\xE4\xBD\xA0\xE5\xA5\xBD, " + name + "! Connected to " + shown_url + " as " + handle +
                           ".\n"
                           "\xE8\xBE\x93\xE5\x85\xA5\xE5\x91\xBD\xE4\xBB\xA4 (\xE5\xA6\x82 help), "
                           "\xE6\x8C\x89\xE9\x92\xAE\xE7\xBC\x96\xE5\x8F\xB7, "
                           "\xE6\x88\x96 /quit \xE9\x80\x80\xE5\x87\xBA\n"
                           "Type a command (try: help), a button number, or /quit.\n"
                     : "Hello, " + name + "! Connected to " + shown_url + " as " + handle +
                           ".\nType a command (try: help), a button number, or /quit.\n");

    // --- recent messages, then a poller for new ones ----------------------------------
    HttpClient poll_client(ep, options.token);
    poll_client.set_session(session);
    std::int64_t last_id = 0;
    try {
        auto r = poll_client.request(http::verb::get, messages_target(ep, handle, std::nullopt));
        if (r.status == 200) last_id = show_messages(printer, r, 0, zh);
    } catch (const std::exception&) {
        // The poller reports problems below.
    }

    std::mutex stop_mu;
    std::condition_variable stop_cv;
    bool stop = false;
    std::thread poller([&, last = last_id]() mutable {
        bool failing = false;
        std::unique_lock lock(stop_mu);
        while (!stop_cv.wait_for(lock, kPollInterval, [&] { return stop; })) {
            lock.unlock();
            try {
                auto r = poll_client.request(http::verb::get, messages_target(ep, handle, last));
                if (r.status != 200)
                    throw std::runtime_error("HTTP " + std::to_string(r.status) + ": " + error_text(r));
                last = show_messages(printer, r, last, zh);
                if (failing) printer.print("(connection to " + shown_url + " restored)");
                failing = false;
            } catch (const std::exception& e) {
                if (!failing)
                    printer.print("(cannot fetch reminders from " + shown_url + ": " + e.what() + "; retrying)");
                failing = true;
            }
            lock.lock();
        }
    });

    // --- the input loop ---------------------------------------------------------------
    std::string line;
    while (std::getline(in, line)) {
        std::string text = trim(line);
        if (text.empty()) continue;
        if (text == "/quit" || text == "/exit") break;
        if (text == "/help") {
            printer.print(
                "Anything you type is sent to the bot (try: help). A number presses that button of the\n"
                "latest message ([1] Done \xE2\x86\x92 done 42). /quit leaves; so does Ctrl-D.\n");
            continue;
        }
        if (text.size() <= 3 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            if (auto b = printer.button(std::stoul(text))) {
                text = b->command;
                printer.print("\xE2\x86\x92 " + text);
            }
        }
        json body = {{"user", handle}, {"text", text}};
        try {
            auto r = chat.request(http::verb::post, ep.base + "/api/chat",
                                  body.dump(-1, ' ', false, json::error_handler_t::replace));
            if (r.status != 200) {
                printer.print("(error " + std::to_string(r.status) + ": " + error_text(r) + ")\n");
                continue;
            }
            json j = json::parse(r.body);
            const json& reply = j.contains("reply") && j["reply"].is_object() ? j["reply"] : j;
            auto buttons = buttons_of(reply);
            printer.message(render("", str(reply, "text"), buttons), buttons);
        } catch (const NetError& e) {
            std::string why = e.ec == asio::error::connection_refused ? "connection refused" : e.what();
            printer.print("(cannot reach followupd at " + shown_url + ": " + why + "; not sent)\n");
        } catch (const std::exception& e) {
            printer.print(std::string("(bad answer from the server: ") + e.what() + ")\n");
        }
    }

    {
        std::lock_guard lock(stop_mu);
        stop = true;
    }
    stop_cv.notify_all();
    poller.join();
    return 0;
}

}  // namespace fu::cli
