// InstanceStore: one holder of a lease at a time, until its time runs out or
// it gives the lease up; a renewal extends it. Heartbeats count the instances
// seen within the lease, each once, and forget the others.
#include <gtest/gtest.h>

#include <string>

#include "engines.hpp"

namespace fu::contract {
namespace {

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

FU_CONTRACT_SUITE(Instances);

}  // namespace
}  // namespace fu::contract
