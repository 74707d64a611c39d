#include "server/sign_in.hpp"

#include <algorithm>

#include "net/crypto.hpp"

namespace fu::server::sign_in {

namespace {

std::string base64url(std::string_view bytes) {
    std::string b64 = net::crypto::base64_encode(bytes);
    std::replace(b64.begin(), b64.end(), '+', '-');
    std::replace(b64.begin(), b64.end(), '/', '_');
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    return b64;
}

std::string sha256_hex(std::string_view s) { return net::crypto::hex(net::crypto::sha256(s)); }

}  // namespace

std::string new_code() {
    // Uniform over 000000..999999: bytes at or above the largest multiple of 10^6 are drawn again.
    constexpr std::uint32_t kCodes = 1'000'000;
    constexpr std::uint32_t kLimit = 0xFFFFFFFFu - (0xFFFFFFFFu % kCodes);
    for (;;) {
        const auto b = net::crypto::random_bytes(4);
        std::uint32_t v = 0;
        for (unsigned char c : b) v = (v << 8) | c;
        if (v >= kLimit) continue;
        auto s = std::to_string(v % kCodes);
        return std::string(6 - s.size(), '0') + s;
    }
}

std::string code_hash(UserId user, std::string_view code) {
    return sha256_hex("code:" + std::to_string(user.value) + ":" + std::string(code));
}

std::string new_link_token() { return base64url(net::crypto::random_bytes(32)); }
std::string link_hash(std::string_view token) { return sha256_hex("link:" + std::string(token)); }

std::string new_session_id() { return base64url(net::crypto::random_bytes(32)); }
std::string session_hash(std::string_view id) { return sha256_hex("session:" + std::string(id)); }
std::string csrf_token(std::string_view id) { return sha256_hex("csrf:" + std::string(id)); }

std::string issue_link(Repo& repo, const User& user, TimePoint now, Seconds lifetime, std::string_view by) {
    const auto token = new_link_token();
    repo.purge_sign_ins(now);
    repo.add_sign_in_secret(SignInSecret{link_hash(token), user.id, "link", now, now + lifetime});
    repo.append_audit(AuditEntry{{},
                                 now,
                                 user.id,
                                 "signin.link",
                                 "user:" + std::to_string(user.id.value),
                                 "sign-in link issued (" + std::string(by) + ")"});
    return token;
}

std::string link_url(std::string_view public_url, std::string_view token) {
    return std::string(public_url) + "/#sign-in=" + std::string(token);
}

void RateLimit::prune(std::deque<Monotonic>& q, Monotonic now) const {
    while (!q.empty() && q.front() + window_ <= now) q.pop_front();
}

bool RateLimit::allows(const std::string& key, Monotonic now) {
    std::lock_guard lock(mutex_);
    auto it = events_.find(key);
    if (it == events_.end()) return true;
    prune(it->second, now);
    return it->second.size() < max_;
}

void RateLimit::add(const std::string& key, Monotonic now) {
    std::lock_guard lock(mutex_);
    // Keys whose events all expired go, so the map stays as small as the window's traffic.
    if (events_.size() > 10000)
        for (auto it = events_.begin(); it != events_.end();) {
            prune(it->second, now);
            it = it->second.empty() ? events_.erase(it) : std::next(it);
        }
    auto& q = events_[key];
    prune(q, now);
    q.push_back(now);
}

std::int64_t RateLimit::retry_after(const std::string& key, Monotonic now) {
    std::lock_guard lock(mutex_);
    auto it = events_.find(key);
    if (it == events_.end()) return 0;
    prune(it->second, now);
    if (it->second.size() < max_) return 0;
    const auto wait = it->second.front() + window_ - now;
    return std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(wait).count());
}

}  // namespace fu::server::sign_in
