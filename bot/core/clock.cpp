#include "core/clock.hpp"

namespace fu {

TimePoint SystemClock::now() const { return std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now()); }

PreciseTime SystemClock::precise_now() const {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

Monotonic SystemClock::monotonic() const { return std::chrono::steady_clock::now(); }

Monotonic FakeClock::monotonic() const { return std::chrono::steady_clock::now() + Seconds{skipped_.load()}; }

}  // namespace fu
