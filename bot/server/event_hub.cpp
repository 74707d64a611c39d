#include "server/event_hub.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace fu::server {

std::shared_ptr<EventHub::Subscriber> EventHub::subscribe(UserId user, boost::asio::any_io_executor ex, Full* why) {
    auto s = std::make_shared<Subscriber>(user, std::move(ex));
    std::lock_guard lock(mutex_);
    const auto it = subs_.find(user);
    Full full = Full::no;
    if (it != subs_.end() && it->second.size() >= limits_.per_user)
        full = Full::user;
    else if (open_ >= limits_.total)
        full = Full::server;
    if (why) *why = full;
    if (full != Full::no) return nullptr;
    subs_[user].push_back(s);
    ++open_;
    return s;
}

void EventHub::unsubscribe(const std::shared_ptr<Subscriber>& s) {
    std::lock_guard lock(mutex_);
    auto it = subs_.find(s->user);
    if (it == subs_.end()) return;
    open_ -= std::erase(it->second, s);
    if (it->second.empty()) subs_.erase(it);
}

void EventHub::set_limits(StreamLimits l) {
    std::lock_guard lock(mutex_);
    limits_ = l;
}

StreamLimits EventHub::limits() const {
    std::lock_guard lock(mutex_);
    return limits_;
}

void EventHub::wake(const std::shared_ptr<Subscriber>& s) {
    s->pending = true;
    boost::asio::post(s->signal.get_executor(), [s] { s->signal.cancel(); });
}

void EventHub::notify(UserId user) {
    std::vector<std::shared_ptr<Subscriber>> woken;
    {
        std::lock_guard lock(mutex_);
        if (auto it = subs_.find(user); it != subs_.end()) woken = it->second;
    }
    for (const auto& s : woken) wake(s);
}

void EventHub::notify(const std::vector<UserId>& users) {
    for (const auto u : users) notify(u);
}

void EventHub::close_all() {
    closing_ = true;
    std::vector<std::shared_ptr<Subscriber>> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [user, list] : subs_) all.insert(all.end(), list.begin(), list.end());
    }
    for (const auto& s : all) wake(s);
}

}  // namespace fu::server
