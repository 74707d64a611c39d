// InstanceStore: one holder of a lease at a time, until its time runs out or
// it gives the lease up; a renewal extends it. Heartbeats count the instances
// seen within the lease, each once, and forget the others. A chat's turns
// come one interval apart, whoever takes them.
#include <gtest/gtest.h>

#include <string>

#include "engines.hpp"

namespace fu::contract {
namespace {

using namespace std::chrono_literals;

class Instances : public StoreTest {
protected:
    bool hold(const std::string& holder, TimePoint now, Seconds lease = kLease) {
        return in_tx([&](Repo& r) { return r.hold_lease("leader", holder, now, now + lease); });
    }
    std::size_t beat(const std::string& id, TimePoint now) {
        return in_tx([&](Repo& r) { return r.heartbeat(id, now, now - kLease); });
    }

    static constexpr Seconds kLease{30};
    const TimePoint t0 = monday();
};

TEST_P(Instances, OfTwoHoldersOneWinsAndTheOtherNotUntilTheLeaseRunsOut) {
    EXPECT_TRUE(hold("a", t0));
    EXPECT_FALSE(hold("b", t0));
    EXPECT_FALSE(hold("b", t0 + Seconds{29}));  // a's lease runs to t0 + 30
    EXPECT_TRUE(hold("b", t0 + Seconds{30}));   // a stopped renewing: b takes over
    EXPECT_FALSE(hold("a", t0 + Seconds{31}));  // and a, back, does not get it back
}

TEST_P(Instances, ARenewalExtendsTheLease) {
    EXPECT_TRUE(hold("a", t0));
    EXPECT_TRUE(hold("a", t0 + Seconds{10}));  // now until t0 + 40
    EXPECT_FALSE(hold("b", t0 + Seconds{35}));
    EXPECT_TRUE(hold("a", t0 + Seconds{39}));  // until t0 + 69
    EXPECT_FALSE(hold("b", t0 + Seconds{68}));
    EXPECT_TRUE(hold("b", t0 + Seconds{69}));
}

TEST_P(Instances, SteppingDownFreesTheLeaseAtOnceAndOnlyTheHoldersOwn) {
    EXPECT_TRUE(hold("a", t0));
    store->transact([&](Repo& r) { r.release_lease("leader", "b"); });  // not b's to give up
    EXPECT_FALSE(hold("b", t0 + Seconds{1}));
    store->transact([&](Repo& r) { r.release_lease("leader", "a"); });
    EXPECT_TRUE(hold("b", t0 + Seconds{1}));
    EXPECT_FALSE(hold("a", t0 + Seconds{2}));
}

TEST_P(Instances, LeasesOfDifferentNamesAreHeldApart) {
    EXPECT_TRUE(hold("a", t0));
    EXPECT_TRUE(in_tx([&](Repo& r) { return r.hold_lease("other", "b", t0, t0 + kLease); }));
    EXPECT_FALSE(hold("b", t0));
}

TEST_P(Instances, HeartbeatsCountTheLiveInstancesEachOnceAndForgetTheDead) {
    EXPECT_EQ(beat("a", t0), 1u);
    EXPECT_EQ(beat("b", t0 + Seconds{1}), 2u);
    EXPECT_EQ(beat("a", t0 + Seconds{10}), 2u);  // a again: still two
    EXPECT_EQ(beat("c", t0 + Seconds{20}), 3u);
    // b was last seen at t0 + 1: at t0 + 31 it has been gone a whole lease.
    EXPECT_EQ(beat("a", t0 + Seconds{30}), 3u);
    EXPECT_EQ(beat("a", t0 + Seconds{31}), 2u);
    // c stops cleanly: no longer counted, without waiting for the lease.
    store->transact([&](Repo& r) { r.instance_stopped("c"); });
    EXPECT_EQ(beat("a", t0 + Seconds{32}), 1u);
    // b comes back (it was only slow): counted again.
    EXPECT_EQ(beat("b", t0 + Seconds{33}), 2u);
}

class ChatTurns : public StoreTest {
protected:
    ChatTurn take(const std::string& chat, std::chrono::milliseconds after, std::string platform = "telegram") {
        return in_tx([&](Repo& r) { return r.take_chat_turn(platform, chat, t0 + after, kInterval, kSlack); });
    }
    static PreciseTime at(std::chrono::milliseconds after) { return t0 + after; }

    static constexpr std::chrono::milliseconds kInterval{1000};
    static constexpr std::chrono::milliseconds kSlack{50};
    static inline const PreciseTime t0 = monday() + std::chrono::milliseconds{250};
};

TEST_P(ChatTurns, AChatIsSentToOncePerIntervalWhoeverAsks) {
    const auto first = take("42", 0ms);
    EXPECT_TRUE(first.taken);
    EXPECT_EQ(first.at, at(0ms));
    // Another sender 300 ms later: not its turn; the chat is free at +1 s.
    const auto second = take("42", 300ms);
    EXPECT_FALSE(second.taken);
    EXPECT_EQ(second.at, at(1000ms));
    // Asking again changes nothing.
    EXPECT_EQ(take("42", 400ms).at, at(1000ms));
    // Within the slack of +1 s: taken, at +1 s (the sender sits out 30 ms).
    const auto third = take("42", 970ms);
    EXPECT_TRUE(third.taken);
    EXPECT_EQ(third.at, at(1000ms));
    EXPECT_FALSE(take("42", 1500ms).taken);  // the next is at +2 s
    // Long after: at once, and the interval counts from then.
    const auto later = take("42", 10000ms);
    EXPECT_TRUE(later.taken);
    EXPECT_EQ(later.at, at(10000ms));
    EXPECT_EQ(take("42", 10001ms).at, at(11000ms));
}

TEST_P(ChatTurns, ChatsAndPlatformsHaveTurnsOfTheirOwn) {
    EXPECT_TRUE(take("42", 0ms).taken);
    EXPECT_TRUE(take("43", 0ms).taken);
    EXPECT_TRUE(take("42", 0ms, "slack").taken);
    EXPECT_FALSE(take("42", 1ms).taken);
}

TEST_P(ChatTurns, HeartbeatsForgetChatsLongFree) {
    EXPECT_TRUE(take("42", 0ms).taken);
    // A heartbeat forgets what was free by its `dead_before`; a chat still
    // taken is kept.
    in_tx([&](Repo& r) { return r.heartbeat("a", monday(), monday() - Seconds{30}); });
    EXPECT_FALSE(take("42", 500ms).taken);
    // Free since +1 s, forgotten by a heartbeat whose dead_before is +10 s:
    // a sender whose clock is behind (still at +500 ms) now finds it free.
    in_tx([&](Repo& r) { return r.heartbeat("a", monday() + Seconds{40}, monday() + Seconds{10}); });
    EXPECT_TRUE(take("42", 500ms).taken);
}

FU_CONTRACT_SUITE(Instances);
FU_CONTRACT_SUITE(ChatTurns);

}  // namespace
}  // namespace fu::contract
