#pragma once
// `followupd chat --as <user>`: a terminal client for a running followupd,
// over the web chat HTTP API (docs/WEB_CHAT_API.md). Plain http only.
#include <iosfwd>
#include <string>

namespace fu::cli {

struct ChatOptions {
    std::string user;                           // --as: the handle to chat as
    std::string url = "http://127.0.0.1:8080";  // --url: where followupd listens (http:// only)
    std::string token;                          // --token: web_chat.token, if the server has one
    std::string link;                           // --link: a sign-in link (where people sign in)
};

// Reads commands line by line from `in`, prints replies and pushed reminders to
// `out` until EOF or "/quit". Exit status: 0 normal end, 1 cannot reach the
// server (or it refuses us), 2 unknown user or unusable URL.
int run_chat(const ChatOptions& options, std::istream& in, std::ostream& out);

}  // namespace fu::cli
