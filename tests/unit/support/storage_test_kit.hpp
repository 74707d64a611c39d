#pragma once
// For the tests of the storage executor and what runs on it: one log for the
// storage threads and the callers, in the order things happen (safe from any
// thread); a store that notes its groups in it; a piece of work that holds
// its thread until released.
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/store.hpp"

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

// Forwards to a real store, notes each group's commit (and its start, with
// `note_starts`), and can make the commit of its Nth group fail (as a full
// disk would).
class RecordingStore final : public Store {
public:
    RecordingStore(Store& inner, OrderedLog& log, bool note_starts = true)
        : inner_(inner), log_(log), note_starts_(note_starts) {}
    void transact(const std::function<void(Repo&)>& fn) override { inner_.transact(fn); }
    void group(const std::function<void()>& body) override {
        if (note_starts_) log_.note("group");
        const int n = ++groups_;
        inner_.group([&] {
            body();
            if (n == fail_group_) throw std::runtime_error("disk full");
        });
        log_.note("commit");
    }
    int schema_version() override { return inner_.schema_version(); }
    void fail_commit_of_group(int n) { fail_group_ = n; }

private:
    Store& inner_;
    OrderedLog& log_;
    const bool note_starts_;
    int groups_ = 0;
    int fail_group_ = 0;
};

// A piece of storage work that, once it runs, holds its thread until
// `release` is set; `started` is ready once it runs.
struct HeldPiece {
    std::promise<void> release;
    std::future<void> started;
    std::function<void()> piece;
};

inline HeldPiece held_piece() {
    HeldPiece h;
    auto started = std::make_shared<std::promise<void>>();
    h.started = started->get_future();
    auto gate = h.release.get_future().share();
    h.piece = [started, gate] {
        started->set_value();
        gate.wait();
    };
    return h;
}

}  // namespace fu::test
