#include "core/clock.hpp"

namespace fu {

TimePoint SystemClock::now() const {
    return std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now());
}

}  // namespace fu
