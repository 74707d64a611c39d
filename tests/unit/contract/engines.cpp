#include "engines.hpp"

#include <atomic>
#include <filesystem>

#include <unistd.h>

#include "storage/sqlite/sqlite_store.hpp"

namespace fu::contract {
namespace {

// A SQLite database in a file of its own (WAL and all, as in production),
// removed with its directory when the store goes.
class TempSqliteStore final : public Store {
public:
    TempSqliteStore() {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("fu-contract-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        store_ = storage::SqliteStore::open((dir_ / "contract.db").string());
    }
    ~TempSqliteStore() override {
        store_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    void transact(const std::function<void(Repo&)>& fn) override { store_->transact(fn); }
    void group(const std::function<void()>& body) override { store_->group(body); }
    void upkeep(bool idle) override { store_->upkeep(idle); }
    int schema_version() override { return store_->schema_version(); }

private:
    std::filesystem::path dir_;
    std::unique_ptr<storage::SqliteStore> store_;
};

}  // namespace

const std::vector<Engine>& engines() {
    static const std::vector<Engine> all{
        {"SQLite", [] { return std::unique_ptr<Store>(std::make_unique<TempSqliteStore>()); }},
    };
    return all;
}

}  // namespace fu::contract
