#include "adapters/email/email.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <random>

namespace fu::adapters::email {
namespace {

namespace asio = boost::asio;

struct Upload {
    std::string_view data;
    std::size_t sent = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* up = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, up->data.size() - up->sent);
    std::memcpy(buffer, up->data.data() + up->sent, n);
    up->sent += n;
    return n;
}

// libcurl hands SMTP server replies to the header callback: the last 4xx or
// 5xx one is what the server said when it refused (QUIT's 221 comes after).
std::size_t keep_refusal(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* last = static_cast<std::string*>(user);
    std::string_view line(buffer, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty() && (line.front() == '4' || line.front() == '5')) last->assign(line.substr(0, 300));
    return size * count;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

SmtpOutcome::Kind kind_of(CURLcode code) {
    switch (code) {
        case CURLE_OK: return SmtpOutcome::Kind::ok;
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
        case CURLE_NOT_BUILT_IN:
        case CURLE_UNKNOWN_OPTION:
        case CURLE_BAD_FUNCTION_ARGUMENT:
        case CURLE_OUT_OF_MEMORY:
        case CURLE_SSL_CACERT_BADFILE: return SmtpOutcome::Kind::local;
        default:
            // Resolve, connect, timeout, TLS handshake, peer verification, no
            // STARTTLS offered: retried, and reported once late, until fixed.
            return SmtpOutcome::Kind::transport;
    }
}

std::string random_hex(std::size_t digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::random_device rd;
    std::string s;
    for (std::size_t i = 0; i < digits; ++i) s += kHex[rd() & 15];
    return s;
}

}  // namespace

EmailAdapter::EmailAdapter(Options o, const Clock& clock, std::chrono::seconds fallback_after)
    : options_(std::move(o)), clock_(clock), fallback_after_(fallback_after), instance_(random_hex(16)) {
    // Not thread-safe in older libcurl: once, before any send.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

EmailAdapter::~EmailAdapter() {
    pool_.join();  // a send in progress ends within its timeout
}

asio::awaitable<Intake> EmailAdapter::intake(const net::Request& req) {
    co_return Intake{net::json_error(req, 404, "e-mail is outbound only: there is no e-mail webhook"), {}, {}};
}

std::optional<std::chrono::seconds> EmailAdapter::fallback_after() const {
    if (fallback_after_.count() <= 0) return std::nullopt;
    return fallback_after_;
}

std::string EmailAdapter::next_unique() {
    const auto seconds = clock_.now().time_since_epoch().count();
    return std::to_string(seconds) + "." + std::to_string(sequence_.fetch_add(1) + 1) + "." + instance_;
}

asio::awaitable<SendResult> EmailAdapter::send(Outbound out) {
    Rendering r = render(out, options_, clock_.now(), next_unique());
    if (!r.message) {
        SendResult failed;
        failed.status = SendResult::Status::failed;
        failed.error = r.problem;
        co_return failed;
    }
    // libcurl blocks: the exchange runs on pool_, and this coroutine resumes on its own executor.
    auto exchange = [this, m = std::move(*r.message)]() -> asio::awaitable<SendResult> {
        co_return interpret(transmit(m), m.message_id);
    };
    auto on_pool = asio::co_spawn(pool_.get_executor(), std::move(exchange), asio::use_awaitable);
    SendResult sent = co_await std::move(on_pool);
    if (sent.status != SendResult::Status::sent) spdlog::debug("email: {}", sent.error);
    co_return sent;
}

SmtpOutcome EmailAdapter::transmit(const Rendered& m) const {
    SmtpOutcome outcome;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return SmtpOutcome{SmtpOutcome::Kind::local, 0, "cannot start libcurl"};
    const bool v6 = options_.host.find(':') != std::string::npos;
    const std::string host = v6 ? "[" + options_.host + "]" : options_.host;
    const std::string url =
        (options_.tls == Tls::smtps ? "smtps://" : "smtp://") + host + ":" + std::to_string(options_.port);
    const std::string mail_from = "<" + options_.from + ">";
    std::unique_ptr<curl_slist, ListDeleter> rcpt(curl_slist_append(nullptr, ("<" + m.to + ">").c_str()));
    Upload upload{m.data};
    std::string refusal;
    char error[CURL_ERROR_SIZE] = {};

    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are not the main thread
    // Never a proxy: libcurl would take one from ALL_PROXY or smtp_proxy, but the
    // outbound proxy (http.proxy, HTTPS_PROXY) is for the platforms' HTTP APIs only.
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min<long long>(options_.timeout.count(), 15)));
    curl_easy_setopt(
        c, CURLOPT_USE_SSL,
        options_.tls == Tls::none ? static_cast<long>(CURLUSESSL_NONE) : static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(m.data.size()));
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, keep_refusal);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &refusal);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);

    const CURLcode code = curl_easy_perform(c);
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    if (code == CURLE_OK) return outcome;
    // A 4xx or 5xx reply decides, whatever libcurl calls the step that got it.
    outcome.kind = reply >= 400 ? SmtpOutcome::Kind::refused : kind_of(code);
    outcome.reply_code = reply;
    outcome.text = error[0] ? error : curl_easy_strerror(code);
    if (reply >= 400 && !refusal.empty()) outcome.text += " (" + refusal + ")";  // the server's own words
    return outcome;
}

}  // namespace fu::adapters::email
