#pragma once
// One log for the storage threads and the callers of a test, in the order
// things happen; safe from any thread.
#include <mutex>
#include <string>
#include <vector>

namespace fu::test {

struct OrderedLog {
    void note(std::string s) {
        std::lock_guard lock(mu);
        lines.push_back(std::move(s));
    }
    std::vector<std::string> snapshot() {
        std::lock_guard lock(mu);
        return lines;
    }
    std::mutex mu;
    std::vector<std::string> lines;
};

}  // namespace fu::test
