// SignInStore: one-time secrets answer once and only before they expire;
// sessions end at once when ended or expired; only hashes are stored.
#include <gtest/gtest.h>

#include "engines.hpp"

namespace fu::contract {
namespace {

using SignIns = StoreTest;

UserId add_person(Repo& r, const std::string& handle) {
    User u;
    u.handle = handle;
    return r.add_user(u);
}

TEST_P(SignIns, ASecretIsUsedOnceAndOnlyBeforeItExpires) {
    const auto t0 = monday();
    const auto wang = in_tx([](Repo& r) { return add_person(r, "wang"); });
    store->transact([&](Repo& r) {
        r.add_sign_in_secret(SignInSecret{"h-code", wang, "code", t0, t0 + Seconds{600}});
        r.add_sign_in_secret(SignInSecret{"h-late", wang, "link", t0, t0 + Seconds{600}});
    });
    EXPECT_EQ(in_tx([&](Repo& r) { return r.use_sign_in_secret("h-code", t0 + Seconds{10}); }), wang);
    // Used: never again.
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.use_sign_in_secret("h-code", t0 + Seconds{11}); }));
    // Expired (the expiry instant itself is too late), and unknown.
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.use_sign_in_secret("h-late", t0 + Seconds{600}); }));
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.use_sign_in_secret("nothing", t0); }));
}

TEST_P(SignIns, RetiringAUsersSecretsOfAKindLeavesOtherKindsAndPeople) {
    const auto t0 = monday();
    UserId wang, li;
    store->transact([&](Repo& r) {
        wang = add_person(r, "wang");
        li = add_person(r, "li");
        r.add_sign_in_secret(SignInSecret{"old-code", wang, "code", t0, t0 + Seconds{600}});
        r.add_sign_in_secret(SignInSecret{"link", wang, "link", t0, t0 + Seconds{600}});
        r.add_sign_in_secret(SignInSecret{"li-code", li, "code", t0, t0 + Seconds{600}});
        r.retire_sign_in_secrets(wang, "code", t0 + Seconds{1});
    });
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.use_sign_in_secret("old-code", t0 + Seconds{2}); }));
    EXPECT_EQ(in_tx([&](Repo& r) { return r.use_sign_in_secret("link", t0 + Seconds{2}); }), wang);
    EXPECT_EQ(in_tx([&](Repo& r) { return r.use_sign_in_secret("li-code", t0 + Seconds{2}); }), li);
}

TEST_P(SignIns, ASessionAnswersUntilItEndsOrExpires) {
    const auto t0 = monday();
    UserId wang;
    store->transact([&](Repo& r) {
        wang = add_person(r, "wang");
        r.add_web_session(WebSession{"s1", wang, t0, t0 + kHour});
        r.add_web_session(WebSession{"s2", wang, t0, t0 + kHour});
    });
    auto s = in_tx([&](Repo& r) { return r.web_session("s1", t0 + Seconds{5}); });
    ASSERT_TRUE(s);
    EXPECT_EQ(s->user, wang);
    EXPECT_EQ(s->hash, "s1");
    EXPECT_EQ(s->created_at, t0);
    EXPECT_EQ(s->expires_at, t0 + kHour);
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.web_session("s1", t0 + kHour); }));  // expired
    store->transact([&](Repo& r) { r.end_web_session("s2"); });
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.web_session("s2", t0); }));
    store->transact([&](Repo& r) { r.end_web_session("s2"); });  // again: nothing to end
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.web_session("unknown", t0); }));
    EXPECT_THROW(store->transact([&](Repo& r) {
        r.add_web_session(WebSession{"s1", wang, t0, t0 + kHour});
    }),
                 std::runtime_error);  // one session per id
}

TEST_P(SignIns, PurgeDeletesOnlyWhatExpiredBefore) {
    const auto t0 = monday();
    UserId wang;
    store->transact([&](Repo& r) {
        wang = add_person(r, "wang");
        r.add_web_session(WebSession{"old", wang, t0, t0 + Seconds{10}});
        r.add_web_session(WebSession{"new", wang, t0, t0 + kDay});
        r.add_sign_in_secret(SignInSecret{"old-code", wang, "code", t0, t0 + Seconds{10}});
        r.add_sign_in_secret(SignInSecret{"new-code", wang, "code", t0, t0 + kDay});
        r.purge_sign_ins(t0 + Seconds{20});
    });
    EXPECT_TRUE(in_tx([&](Repo& r) { return r.web_session("new", t0 + Seconds{30}); }));
    // What was purged is gone even for a clock that reads earlier.
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.web_session("old", t0); }));
    EXPECT_FALSE(in_tx([&](Repo& r) { return r.use_sign_in_secret("old-code", t0); }));
    EXPECT_EQ(in_tx([&](Repo& r) { return r.use_sign_in_secret("new-code", t0 + Seconds{30}); }), wang);
}

FU_CONTRACT_SUITE(SignIns);

}  // namespace
}  // namespace fu::contract
