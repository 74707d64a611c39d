#pragma once
// The storage contract: tests written against the core's ports (core/ports/),
// run once per storage engine. Adding an engine is one line in engines.cpp.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/store.hpp"

namespace fu::contract {

struct Engine {
    std::string name;  // a test name suffix: letters and digits only
    // A new, empty database with the schema in place; its files, if any, go
    // when the store is destroyed.
    std::function<std::unique_ptr<Store>()> open;
};

const std::vector<Engine>& engines();
// The PostgreSQL server the suite runs against (FU_TEST_PG_URL), or null.
const char* postgres_url();

// A fresh store of the engine under test for each test.
class StoreTest : public ::testing::TestWithParam<Engine> {
protected:
    void SetUp() override { store = GetParam().open(); }

    // Runs `fn` in its own transaction and returns what it returns.
    template <class F>
    auto in_tx(F fn) {
        decltype(fn(std::declval<Repo&>())) out{};
        store->transact([&](Repo& r) { out = fn(r); });
        return out;
    }

    template <class T>
    static std::vector<std::int64_t> ids(const std::vector<T>& items) {
        std::vector<std::int64_t> out;
        for (const auto& i : items) out.push_back(i.id.value);
        return out;
    }

    std::unique_ptr<Store> store;
};

inline std::string engine_name(const ::testing::TestParamInfo<Engine>& info) { return info.param.name; }

// 2024-11-25 00:00:00 UTC, a Monday.
inline TimePoint monday() { return from_unix(1732492800); }
inline constexpr Seconds kHour{3600};
inline constexpr Seconds kDay{86400};

}  // namespace fu::contract

// Runs every TEST_P of `fixture` (a StoreTest) against every engine.
#define FU_CONTRACT_SUITE(fixture)                                                             \
    INSTANTIATE_TEST_SUITE_P(Engines, fixture, ::testing::ValuesIn(::fu::contract::engines()), \
                             ::fu::contract::engine_name)
