#include "server/not_saved.hpp"

#include <spdlog/spdlog.h>
#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace fu::server {
namespace {

bool has(std::string_view text, std::string_view word) {
    const auto it = std::search(text.begin(), text.end(), word.begin(), word.end(),
                                [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    return it != text.end();
}

}  // namespace

LocalizedText not_saved_text(std::string_view error) {
    // The engines' own words: SQLite's "database or disk is full", "attempt to
    // write a readonly database", "disk I/O error", "database is locked";
    // PostgreSQL's "No space left on device", "read-only transaction", and
    // a lost connection.
    LocalizedText why{"the database could not be written", "数据库写入失败"};
    if (has(error, "disk is full") || has(error, "no space left") || has(error, "disk full"))
        why = {"the server's disk is full", "服务器磁盘已满"};
    else if (has(error, "readonly") || has(error, "read-only"))
        why = {"the database is read-only", "数据库处于只读状态"};
    else if (has(error, "i/o error"))
        why = {"the server's disk reported an error", "服务器磁盘读写出错"};
    else if (has(error, "locked") || has(error, "busy"))
        why = {"the database is busy", "数据库正忙"};
    else if (has(error, "connection") || has(error, "connect"))
        why = {"the database cannot be reached", "无法连接数据库"};
    return {"Not saved: " + why.en + ". Nothing was changed; try again in a few minutes.",
            "未保存：" + why.zh + "。没有任何改动，请过几分钟再试。"};
}

net::Response not_saved(const net::Request& req, std::optional<Lang> lang, std::string_view error) {
    const auto target = std::string_view(req.target());
    spdlog::error("http: {} {}: not saved: {}", std::string(req.method_string()),
                  std::string(target.substr(0, target.find('?'))), error);  // a query may hold a secret
    const auto text = not_saved_text(error);
    auto res = net::json_error(req, 503, lang ? text.in(*lang) : text.en + " " + text.zh);
    res.set(boost::beast::http::field::retry_after, "60");
    return res;
}

}  // namespace fu::server
