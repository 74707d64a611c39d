#pragma once
// Time in the core is whole seconds since the Unix epoch (UTC) and always comes
// from a Clock, so weeks of schedule can be tested with a FakeClock. The Clock
// also gives the wall time to the millisecond (to arm a timer at a due instant)
// and a monotonic time for waits and pacing, which never jumps: nothing else
// reads std::chrono's clocks.
#include <atomic>
#include <chrono>

namespace fu {

using TimePoint = std::chrono::sys_seconds;
using Seconds = std::chrono::seconds;
using PreciseTime = std::chrono::sys_time<std::chrono::milliseconds>;
using Monotonic = std::chrono::steady_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
    // The wall time to the millisecond; now() is this cut to whole seconds.
    virtual PreciseTime precise_now() const { return now(); }
    // For waits, deadlines and pacing: steady, whatever the wall clock does.
    virtual Monotonic monotonic() const = 0;
};

// The one place that reads the system's clocks.
class SystemClock final : public Clock {
public:
    TimePoint now() const override;
    PreciseTime precise_now() const override;
    Monotonic monotonic() const override;
};

// Wall time stands still until set or advanced. Monotonic time runs as the
// real one does (timers in tests still expire), plus every advance().
class FakeClock final : public Clock {
public:
    explicit FakeClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
    TimePoint now() const override { return TimePoint{Seconds{now_.load()}}; }
    Monotonic monotonic() const override;
    void set(TimePoint t) { now_ = t.time_since_epoch().count(); }
    void advance(Seconds d) {
        now_ += d.count();
        skipped_ += d.count();
    }

private:
    std::atomic<std::int64_t> now_;
    std::atomic<std::int64_t> skipped_{0};
};

inline std::int64_t to_unix(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_unix(std::int64_t s) { return TimePoint{Seconds{s}}; }

}  // namespace fu
