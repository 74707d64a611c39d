// SqlRepo: teams, users and customers.
#include "storage/sql/sql_repo.hpp"

#include <string>

#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/queries.hpp"
#include "storage/sql/rows.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

using detail::id_or_null;
using detail::sql_limit;
using detail::time_or_null;

namespace {

// Whether a statement inserts into or updates the table `table` ("tasks").
bool writes_table(std::string_view sql, std::string_view table) {
    for (std::string_view head : {std::string_view("INSERT INTO "), std::string_view("UPDATE ")})
        if (sql.starts_with(head)) {
            const auto rest = sql.substr(head.size());
            return rest.starts_with(table) && rest.size() > table.size() &&
                   (rest[table.size()] == ' ' || rest[table.size()] == '(');
        }
    return false;
}

}  // namespace

SqlStatement& SqlRepo::statement(std::string_view sql) {
    // Every statement is fetched to be run; a write begins with its verb.
    const auto verb = sql.substr(0, 6);
    if (verb == "INSERT" || verb == "UPDATE" || verb == "DELETE") {
        ++writes_;
        // Deleting never brings anything due sooner: only these can move the next wake-up earlier.
        if (writes_table(sql, "tasks") || writes_table(sql, "schedules")) ++schedule_writes_;
    }
    return statements_.get(sql);
}

std::int64_t SqlRepo::inserted_id(SqlStatement& s) {
    // Every INSERT that makes an id ends in RETURNING id.
    if (!s.step()) throw StorageError("no id returned (in: " + first_words(s.sql()) + ")");
    return s.column_int64(0);
}

void SqlRepo::expect_one_change(std::int64_t changed, const char* what, std::int64_t id) {
    if (changed == 0) throw StorageError(std::string("no ") + what + " with id " + std::to_string(id));
}

// --- teams ----------------------------------------------------------------------

TeamId SqlRepo::add_team(const Team& t) {
    auto& s = statement(sql::kInsertTeam);
    auto scope = s.use();
    s.bind(1, t.name);
    return TeamId{inserted_id(s)};
}

std::optional<Team> SqlRepo::team(TeamId id) {
    auto& s = statement(sql::kSelectTeam);
    auto scope = s.use();
    s.bind(1, id.value);
    if (s.step()) return read_team(s);
    return std::nullopt;
}

std::vector<Team> SqlRepo::teams() {
    auto& s = statement(sql::kSelectTeams);
    auto scope = s.use();
    std::vector<Team> out;
    while (s.step()) out.push_back(read_team(s));
    return out;
}

// --- users ----------------------------------------------------------------------

namespace {

// Binds the columns shared by INSERT and UPDATE, in their order (1..10).
void bind_user(SqlStatement& s, const User& u) {
    s.bind(1, u.handle)
        .bind(2, u.display_name)
        .bind(3, code(u.role))
        .bind(4, id_or_null(u.team))
        .bind(5, u.time_zone)
        .bind(6, code(u.lang))
        .bind(7, std::int64_t{u.work_start_minute})
        .bind(8, std::int64_t{u.work_end_minute})
        .bind(9, std::int64_t{u.work_days})
        .bind(10, u.notify_platform);
}

std::vector<User> read_users(SqlStatement& s) {
    std::vector<User> out;
    while (s.step()) out.push_back(read_user(s));
    return out;
}

}  // namespace

UserId SqlRepo::add_user(const User& u) {
    auto& s = statement(sql::kInsertUser);
    auto scope = s.use();
    bind_user(s, u);
    return UserId{inserted_id(s)};
}

void SqlRepo::update_user(const User& u) {
    auto& s = statement(sql::kUpdateUser);
    auto scope = s.use();
    bind_user(s, u);
    s.bind(11, u.id.value);
    expect_one_change(s.run(), "user", u.id.value);
}

std::optional<User> SqlRepo::user(UserId id) {
    auto& s = statement(sql::kSelectUser);
    auto scope = s.use();
    s.bind(1, id.value);
    if (s.step()) return read_user(s);
    return std::nullopt;
}

std::optional<User> SqlRepo::user_by_handle(std::string_view handle) {
    auto& s = statement(sql::kSelectUserByHandle);
    auto scope = s.use();
    s.bind(1, handle);
    if (s.step()) return read_user(s);
    return std::nullopt;
}

std::vector<User> SqlRepo::users() {
    auto& s = statement(sql::kSelectUsers);
    auto scope = s.use();
    return read_users(s);
}

std::vector<User> SqlRepo::team_members(TeamId team) {
    auto& s = statement(sql::kSelectTeamMembers);
    auto scope = s.use();
    s.bind(1, team.value);
    return read_users(s);
}

// --- customers ------------------------------------------------------------------

namespace {

// Binds the columns shared by INSERT and UPDATE, in their order (1..14).
void bind_customer(SqlStatement& s, const Customer& c) {
    s.bind(1, c.name)
        .bind(2, c.company)
        .bind(3, c.phone)
        .bind(4, c.email)
        .bind(5, c.im)
        .bind(6, id_or_null(c.owner))
        .bind(7, code(c.tier))
        .bind(8, code(c.stage))
        .bind(9, c.source)
        .bind(10, c.value)
        .bind(11, join_words(c.tags))
        .bind(12, time_or_null(c.last_contact))
        .bind(13, time_or_null(c.next_followup))
        .bind(14, to_unix(c.created_at))
        .bind(15, id_or_null(c.team))
        .bind(16, c.external_id);
}

}  // namespace

Customer SqlRepo::customer_at(const SqlStatement& s) const {
    Customer c = read_customer(s);
    if (cipher_) {
        c.phone = cipher_->open(c.phone);
        c.email = cipher_->open(c.email);
        c.im = cipher_->open(c.im);
    }
    return c;
}

Customer SqlRepo::sealed(const Customer& c) const {
    Customer out = c;
    if (cipher_) {
        out.phone = cipher_->seal(c.phone);
        out.email = cipher_->seal(c.email);
        out.im = cipher_->seal(c.im);
    }
    return out;
}

CustomerId SqlRepo::add_customer(const Customer& c) {
    auto& s = statement(sql::kInsertCustomer);
    auto scope = s.use();
    bind_customer(s, sealed(c));
    return CustomerId{inserted_id(s)};
}

void SqlRepo::update_customer(const Customer& c) {
    auto& s = statement(sql::kUpdateCustomer);
    auto scope = s.use();
    bind_customer(s, sealed(c));
    s.bind(17, c.id.value);
    expect_one_change(s.run(), "customer", c.id.value);
}

std::optional<Customer> SqlRepo::customer(CustomerId id) {
    auto& s = statement(sql::kSelectCustomer);
    auto scope = s.use();
    s.bind(1, id.value);
    if (s.step()) return customer_at(s);
    return std::nullopt;
}

std::vector<Customer> SqlRepo::find_customers(std::string_view text, std::size_t limit) {
    auto& s = statement(sql::kFindCustomers);
    auto scope = s.use();
    s.bind(1, ascii_lower(text)).bind(2, sql_limit(limit));
    std::vector<Customer> out;
    while (s.step()) out.push_back(customer_at(s));
    return out;
}

std::vector<Customer> SqlRepo::customers_owned_by(UserId owner) {
    auto& s = statement(sql::kSelectCustomersOwnedBy);
    auto scope = s.use();
    s.bind(1, owner.value);
    std::vector<Customer> out;
    while (s.step()) out.push_back(customer_at(s));
    return out;
}

std::size_t SqlRepo::customer_count() {
    auto& s = statement(sql::kCountCustomers);
    auto scope = s.use();
    return s.step() ? static_cast<std::size_t>(s.column_int64(0)) : 0;
}

}  // namespace fu::storage
