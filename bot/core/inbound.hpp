#pragma once
// The one inbound message: what a chat platform's adapter makes of a webhook
// or a polled update once it is authenticated and parsed, and what the bot
// executes. Platform-neutral: ids are the platform's, as strings.
#include <string>

namespace fu {

struct Inbound {
    std::string platform;     // the adapter's name: "telegram", "slack", …
    std::string event_id;     // the platform's id of this delivery: a retried webhook is processed once
    std::string user_id;      // the platform's user id of the sender
    std::string chat_id;      // where to answer
    bool direct = true;       // a one-to-one chat with the bot
    std::string text;         // what was typed, or the command of the pressed button
    bool button = false;      // a button press
    std::string message_ref;  // with a button: the platform message it was on (the reply edits it)
    // The adapter answers a sender who is not registered in its response to
    // the platform (WeCom's passive reply, a Slack slash command's answer):
    // the bot hands it the text. Otherwise that reply is queued in the outbox
    // like any other, with no user.
    bool answered_inline = false;
};

}  // namespace fu
