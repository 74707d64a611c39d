// The contract says a refused write throws std::runtime_error; the SQLite
// engine throws its StorageError for each, so callers can tell it apart.
#include <gtest/gtest.h>

#include "storage/sqlite/db.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace fu::storage {
namespace {

TEST(StorageErrors, EveryRefusedWriteIsAStorageError) {
    auto store = SqliteStore::open(":memory:");
    UserId rep;
    CustomerId customer;
    MessageId message;
    store->transact([&](Repo& r) {
        User u;
        u.handle = "wang";
        rep = r.add_user(u);
        customer = r.add_customer(Customer{.name = "Acme"});
        message = r.enqueue(OutboxMessage{{}, rep, {}, MessageKind::notice, "hi", {}, {}});
    });
    auto refused = [&](const std::function<void(Repo&)>& write) { EXPECT_THROW(store->transact(write), StorageError); };
    User same_handle;
    same_handle.handle = "WANG";
    refused([&](Repo& r) { r.add_user(same_handle); });
    User ghost_user;
    ghost_user.id = UserId{999};
    ghost_user.handle = "ghost";
    refused([&](Repo& r) { r.update_user(ghost_user); });
    Customer ghost_customer;
    ghost_customer.id = CustomerId{999};
    refused([&](Repo& r) { r.update_customer(ghost_customer); });
    Task ghost_task;
    ghost_task.id = TaskId{999};
    ghost_task.customer = customer;
    ghost_task.assignee = rep;
    refused([&](Repo& r) { r.update_task(ghost_task); });
    Task orphan_task;
    orphan_task.customer = CustomerId{999};
    orphan_task.assignee = rep;
    refused([&](Repo& r) { r.add_task(orphan_task); });
    refused([&](Repo& r) { r.link_identity(Identity{"telegram", "x", UserId{999}, ""}); });
    Delivery d;
    d.message = message;
    d.platform = "telegram";
    Delivery ghost_delivery = d;
    ghost_delivery.id = DeliveryId{999};
    refused([&](Repo& r) { r.update_delivery(ghost_delivery); });
    Delivery orphan_delivery = d;
    orphan_delivery.message = MessageId{999};
    refused([&](Repo& r) { r.add_delivery(orphan_delivery); });
}

}  // namespace
}  // namespace fu::storage
