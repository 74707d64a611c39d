#include "server/logging.hpp"

#include <spdlog/details/file_helper.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>

namespace fu::server {
namespace {

bool json_format = false;

// spdlog's basic file sink cannot reopen its file; this one can, under the
// sink's own lock, so a line written meanwhile goes wholly to one file.
class ReopenableFileSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit ReopenableFileSink(const std::string& path) { file_.open(path, false); }
    void reopen() {
        std::lock_guard lock(mutex_);
        spdlog::details::file_helper next;
        next.open(file_.filename(), false);  // throws, keeping the old one, if it cannot be opened
        file_.close();
        file_.open(next.filename(), false);
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t out;
        formatter_->format(msg, out);
        file_.write(out);
        file_.flush();  // a line is on disk before anything that follows it happens
    }
    void flush_() override { file_.flush(); }

private:
    spdlog::details::file_helper file_;
};

// log.file: one sink for the log and one for the access lines (a sink has one
// format), both appending to the same file.
std::shared_ptr<ReopenableFileSink> file_sink, access_file_sink;

// `text` as the inside of a JSON string (RFC 8259): quotes, backslashes and
// control characters escaped; other bytes as they are (log text is UTF-8).
void append_escaped(std::string_view text, spdlog::memory_buf_t& out) {
    for (const char c : text) {
        switch (c) {
            case '"': out.append(std::string_view("\\\"")); break;
            case '\\': out.append(std::string_view("\\\\")); break;
            case '\n': out.append(std::string_view("\\n")); break;
            case '\r': out.append(std::string_view("\\r")); break;
            case '\t': out.append(std::string_view("\\t")); break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out.append(std::string_view(buf));
                } else {
                    out.push_back(c);
                }
        }
    }
}

// %* : the message, escaped for a JSON string.
class JsonMessage final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        append_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessage>(); }
};

std::unique_ptr<spdlog::formatter> json_formatter(const char* message) {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<JsonMessage>('*').set_pattern(
        std::string(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","logger":"%n",)") + message + "}");
    return f;
}

std::shared_ptr<spdlog::logger>& access_logger() {
    static std::shared_ptr<spdlog::logger> logger = [] {
        auto l = std::make_shared<spdlog::logger>("access", std::make_shared<spdlog::sinks::stdout_color_sink_mt>());
        l->set_level(spdlog::level::info);
        l->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [access] %v");
        return l;
    }();
    return logger;
}

void json_field(spdlog::memory_buf_t& out, std::string_view name, std::string_view value, bool first = false) {
    if (!first) out.push_back(',');
    out.push_back('"');
    out.append(name);
    out.append(std::string_view("\":\""));
    append_escaped(value, out);
    out.push_back('"');
}

}  // namespace

void start_logging(const config::Config& cfg) {
    if (!cfg.log_file.empty()) {
        try {
            file_sink = std::make_shared<ReopenableFileSink>(cfg.log_file);
            access_file_sink = std::make_shared<ReopenableFileSink>(cfg.log_file);
        } catch (const spdlog::spdlog_ex& e) {
            throw std::runtime_error("log.file " + cfg.log_file + ": " + e.what());
        }
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("", file_sink));
        access_logger() = std::make_shared<spdlog::logger>("access", access_file_sink);
    }
    json_format = cfg.log_format == "json";
    if (json_format) {
        spdlog::set_formatter(json_formatter(R"("message":"%*")"));
        // The access logger's message is already a list of JSON fields.
        access_logger()->set_formatter(json_formatter("%v"));
    } else {
        spdlog::set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
        access_logger()->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [access] %v");
    }
    set_log_level(cfg.log_level);
}

void set_log_level(const std::string& level) {
    spdlog::set_level(spdlog::level::from_str(level));
    // Access lines are info: log.level "warn" or above leaves them out too.
    access_logger()->set_level(spdlog::level::from_str(level));
}

bool reopen_log() {
    if (!file_sink) return false;
    try {
        file_sink->reopen();
        access_file_sink->reopen();
    } catch (const spdlog::spdlog_ex& e) {
        throw std::runtime_error(e.what());
    }
    return true;
}

std::string route_of(std::string_view target, const std::vector<std::string>& platforms) {
    const auto path = target.substr(0, target.find('?'));
    if (path == "/" || path == "/index.html" || path == "/metrics" || path == "/healthz" || path == "/readyz")
        return std::string(path);
    if (path.starts_with("/hooks/")) {
        const auto name = path.substr(
            7, path.find('/', 7) == std::string_view::npos ? std::string_view::npos : path.find('/', 7) - 7);
        for (const auto& p : platforms)
            if (p == name) return "/hooks/" + p;
        return "/hooks/other";
    }
    if (path.starts_with("/calendar/")) return "/calendar";  // one label, never the token
    if (path.starts_with("/api/v1/")) {
        // The collection: /api/v1/customers/42/notes counts as /api/v1/customers.
        const auto rest = path.substr(8);
        const auto name = rest.substr(0, rest.find('/'));
        bool plain = !name.empty() && name.size() <= 32;
        for (const char c : name) plain = plain && ((c >= 'a' && c <= 'z') || c == '_' || c == '-');
        return plain ? "/api/v1/" + std::string(name) : "/api/v1/other";
    }
    if (path.starts_with("/api/")) {
        const auto name = path.substr(
            5, path.find('/', 5) == std::string_view::npos ? std::string_view::npos : path.find('/', 5) - 5);
        bool plain = !name.empty() && name.size() <= 32;
        for (const char c : name) plain = plain && ((c >= 'a' && c <= 'z') || c == '_' || c == '-');
        return plain ? "/api/" + std::string(name) : "/api/other";
    }
    return "other";
}

void log_access(const net::RequestRecord& r) {
    const std::string_view target(r.target);
    auto path = target.substr(0, target.find('?'));
    // A calendar feed's address is its only credential: logs never hold it.
    if (path.starts_with("/calendar/")) path = "/calendar/…";
    spdlog::memory_buf_t line;
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f", r.seconds * 1000);
    if (json_format) {
        json_field(line, "method", r.method, true);
        json_field(line, "path", path);
        line.append(std::string_view(",\"status\":"));
        line.append(std::to_string(r.status));
        line.append(std::string_view(",\"duration_ms\":"));
        line.append(std::string_view(ms));
        line.append(std::string_view(",\"bytes_in\":"));
        line.append(std::to_string(r.bytes_in));
        line.append(std::string_view(",\"bytes_out\":"));
        line.append(std::to_string(r.bytes_out));
        json_field(line, "remote", r.remote);
        json_field(line, "request_id", r.id);
        if (r.stream) line.append(std::string_view(",\"stream\":true"));
    } else {
        line.append(r.method);
        line.push_back(' ');
        line.append(path);
        line.push_back(' ');
        line.append(std::to_string(r.status));
        line.push_back(' ');
        line.append(std::string_view(ms));
        line.append(std::string_view("ms in="));
        line.append(std::to_string(r.bytes_in));
        line.append(std::string_view(" out="));
        line.append(std::to_string(r.bytes_out));
        line.append(std::string_view(" remote="));
        line.append(r.remote.empty() ? std::string("-") : r.remote);
        line.append(std::string_view(" id="));
        line.append(r.id);
        if (r.stream) line.append(std::string_view(" stream"));
    }
    access_logger()->info(std::string_view(line.data(), line.size()));
}

std::function<void(std::exception_ptr)> log_if_stopped(std::string what) {
    return [what = std::move(what)](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            spdlog::critical("{} stopped: {}", what, ex.what());
        }
    };
}

}  // namespace fu::server
