#include "server/logging.hpp"

#include <spdlog/details/file_helper.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>

namespace fu::server {

namespace {

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

std::shared_ptr<ReopenableFileSink> file_sink;

}  // namespace

void start_logging(const config::Config& cfg) {
    if (!cfg.log_file.empty()) {
        try {
            file_sink = std::make_shared<ReopenableFileSink>(cfg.log_file);
        } catch (const spdlog::spdlog_ex& e) {
            throw std::runtime_error("log.file " + cfg.log_file + ": " + e.what());
        }
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("followupd", file_sink));
    }
    spdlog::set_level(spdlog::level::from_str(cfg.log_level));
}

bool reopen_log() {
    if (!file_sink) return false;
    try {
        file_sink->reopen();
    } catch (const spdlog::spdlog_ex& e) {
        throw std::runtime_error(e.what());
    }
    return true;
}

}  // namespace fu::server
