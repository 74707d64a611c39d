#pragma once
// Helpers shared by the storage tests: a temporary directory that cleans up
// after itself, and a raw sqlite3 connection to look at a file the way an
// outsider would (not through our wrappers).
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/clock.hpp"

namespace fu::storage::test {

class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("fu-storage-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

class RawDb {
public:
    explicit RawDb(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            std::string msg = sqlite3_errmsg(db_);
            sqlite3_close(db_);
            throw std::runtime_error("cannot open " + path + ": " + msg);
        }
    }
    ~RawDb() { sqlite3_close(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    struct Result {
        int rc = SQLITE_OK;
        std::string error;
        std::vector<std::vector<std::string>> rows;  // NULL reads as "NULL"
    };

    Result run(const std::string& sql) {
        Result r;
        char* err = nullptr;
        r.rc = sqlite3_exec(
            db_, sql.c_str(),
            [](void* out, int n, char** values, char**) {
                std::vector<std::string> row;
                for (int i = 0; i < n; ++i) row.emplace_back(values[i] ? values[i] : "NULL");
                static_cast<Result*>(out)->rows.push_back(std::move(row));
                return 0;
            },
            &r, &err);
        if (err) {
            r.error = err;
            sqlite3_free(err);
        }
        return r;
    }

    // The first column of the first row, or "" when there is none.
    std::string scalar(const std::string& sql) {
        auto r = run(sql);
        if (r.rc != SQLITE_OK) throw std::runtime_error(r.error + " in " + sql);
        return r.rows.empty() || r.rows[0].empty() ? std::string() : r.rows[0][0];
    }

private:
    sqlite3* db_ = nullptr;
};

// 2024-11-25 00:00:00 UTC, a Monday.
inline TimePoint monday() { return from_unix(1732492800); }
inline constexpr Seconds kHour{3600};
inline constexpr Seconds kDay{86400};

}  // namespace fu::storage::test
