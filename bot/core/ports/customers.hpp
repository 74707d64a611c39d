#pragma once
// Storage port: customers, the public pool and the ids other systems know them by.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu {

class CustomerStore {
public:
    virtual ~CustomerStore() = default;

    // Customers
    virtual CustomerId add_customer(const Customer&) = 0;
    virtual void update_customer(const Customer&) = 0;
    virtual std::optional<Customer> customer(CustomerId) = 0;
    // Case-insensitive substring match on name or company, best matches first
    // (exact name, then prefix, then substring); at most `limit`.
    virtual std::vector<Customer> find_customers(std::string_view text, std::size_t limit) = 0;
    virtual std::vector<Customer> customers_owned_by(UserId) = 0;
    virtual std::size_t customer_count() = 0;

    // The public pool: unowned customers, in id order. team: that team's pool
    // (and customers of no team); nullopt: every pool.
    virtual std::vector<Customer> pool_customers(std::optional<TeamId> team, std::size_t limit) = 0;
    // Customers `rep` claimed from the pool at or after `since`.
    virtual int claims_since(UserId rep, TimePoint since) = 0;
    // When `rep` last released `customer` to the pool, if ever.
    virtual std::optional<TimePoint> last_release(CustomerId customer, UserId rep) = 0;

    // Data in and out: a customer by its id in another system (exact match).
    virtual std::optional<Customer> customer_by_external_id(std::string_view external_id) = 0;
    // A stable id derived from `text` (a customer's name, phone and company)
    // that reveals nothing of it without the database's contacts key; "" when
    // the store keeps no key (the caller derives an unkeyed one).
    virtual std::string keyed_fingerprint(std::string_view text) = 0;

    // @api: the REST API
    // Customers in id order after `after`, filtered: in a team's scope (its
    // customers, and those owned by its members), by owner, stage, external
    // id. Empty filters match everything.
    struct CustomerQuery {
        std::optional<TeamId> team;
        std::optional<UserId> owner;
        std::optional<Stage> stage;
        std::string external_id;
        std::optional<CustomerId> after;
        std::size_t limit = 50;
    };
    virtual std::vector<Customer> list_customers(const CustomerQuery&) = 0;
    // @end-api
};

}  // namespace fu
