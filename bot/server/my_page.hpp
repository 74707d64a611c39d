#pragma once
// The reps' page: its HTML (/my), its script (/assets/my.js, bundled at build
// time) and its JSON (/api/my/…): the signed-in person's follow-ups, their
// customers and a customer's history (core/my_work.hpp), and done, snooze and
// reschedule as the chat commands given as fields (Bot::act), so the web and
// chat follow one set of rules. Who asks is the web chat's signed-in person
// (WebChat::caller); state-changing calls need its CSRF token.
#include <string_view>

#include "core/bot.hpp"
#include "core/clock.hpp"
#include "core/store.hpp"
#include "net/http_server.hpp"
#include "server/effects.hpp"
#include "server/storage_executor.hpp"
#include "server/web_chat.hpp"

namespace fu::server {

std::string_view my_page();    // bot/web/my.html, embedded at build time
std::string_view my_script();  // the esbuild bundle of bot/web/my.js, embedded at build time

class MyPage {
public:
    MyPage(WebChat& web, StorageExecutor& storage, Store& store, Bot& bot, Effects& effects, const Clock& clock)
        : web_(web), storage_(storage), store_(store), bot_(bot), effects_(effects), clock_(clock) {}

    bool serves(std::string_view path) const;
    boost::asio::awaitable<net::Response> handle(const net::Request&);

private:
    boost::asio::awaitable<net::Response> act(const net::Request&, const WebChat::Caller&, std::string_view path);

    WebChat& web_;
    StorageExecutor& storage_;
    Store& store_;
    Bot& bot_;
    Effects& effects_;
    const Clock& clock_;
};

}  // namespace fu::server
