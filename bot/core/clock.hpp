#pragma once
// Time in the core is whole seconds since the Unix epoch (UTC) and always comes
// from a Clock, so weeks of schedule can be tested with a FakeClock.
#include <atomic>
#include <chrono>

namespace fu {

using TimePoint = std::chrono::sys_seconds;
using Seconds = std::chrono::seconds;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

// The one place that reads the system clock.
class SystemClock final : public Clock {
public:
    TimePoint now() const override;
};

class FakeClock final : public Clock {
public:
    explicit FakeClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
    TimePoint now() const override { return TimePoint{Seconds{now_.load()}}; }
    void set(TimePoint t) { now_ = t.time_since_epoch().count(); }
    void advance(Seconds d) { now_ += d.count(); }

private:
    std::atomic<std::int64_t> now_;
};

inline std::int64_t to_unix(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_unix(std::int64_t s) { return TimePoint{Seconds{s}}; }

}  // namespace fu
