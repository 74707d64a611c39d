#include "storage/sql/contacts.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fu::storage {
namespace {

constexpr std::string_view kSelectKeyCheck = "SELECT check_value FROM contacts_key WHERE id = 1";
constexpr std::string_view kInsertKeyCheck = "INSERT INTO contacts_key (id, check_value) VALUES (1, ?)";
constexpr std::string_view kSelectPlainContacts =
    "SELECT id, phone, email, im FROM customers WHERE (phone <> '' AND phone NOT LIKE 'enc1:%') "
    "OR (email <> '' AND email NOT LIKE 'enc1:%') OR (im <> '' AND im NOT LIKE 'enc1:%')";
constexpr std::string_view kSealContacts = "UPDATE customers SET phone = ?, email = ?, im = ? WHERE id = ?";
constexpr std::string_view kSelectPlainMessages =
    "SELECT id, text FROM outbox WHERE text <> '' AND text NOT LIKE 'enc1:%'";
constexpr std::string_view kSealMessage = "UPDATE outbox SET text = ? WHERE id = ?";

}  // namespace

// After the first key, everything is written sealed, so no later start needs
// to look for clear values.
bool protect_contacts(SqlStatements& statements, const ContactCipher* cipher) {
    std::optional<std::string> stored;
    {
        auto& check = statements.get(kSelectKeyCheck);
        auto scope = check.use();
        if (check.step()) stored = check.column_text(0);
    }
    if (!cipher) {
        if (stored)
            throw StorageError(
                "the customers' contacts in this database are encrypted: it opens only with its key "
                "(storage.contacts_key, or the key file named by storage.contacts_key_file)");
        return false;
    }
    const std::string mine = cipher->check_value();
    if (stored && *stored != mine)
        throw StorageError(
            "storage.contacts_key (or its key file) is not the key this database's contacts were "
            "encrypted with");
    if (stored) return false;
    statements.get(kInsertKeyCheck).bind(1, mine).run();
    struct Plain {
        std::int64_t id;
        std::string phone, email, im;
    };
    std::vector<Plain> plain;
    {
        auto& s = statements.get(kSelectPlainContacts);
        auto scope = s.use();
        while (s.step()) plain.push_back({s.column_int64(0), s.column_text(1), s.column_text(2), s.column_text(3)});
    }
    auto& seal = statements.get(kSealContacts);
    const auto sealed = [&](const std::string& v) { return ContactCipher::is_sealed(v) ? v : cipher->seal(v); };
    for (const auto& p : plain)
        seal.bind(1, sealed(p.phone)).bind(2, sealed(p.email)).bind(3, sealed(p.im)).bind(4, p.id).run();
    std::vector<std::pair<std::int64_t, std::string>> messages;
    {
        auto& s = statements.get(kSelectPlainMessages);
        auto scope = s.use();
        while (s.step()) messages.emplace_back(s.column_int64(0), s.column_text(1));
    }
    auto& seal_message = statements.get(kSealMessage);
    for (const auto& [id, text] : messages) seal_message.bind(1, cipher->seal(text)).bind(2, id).run();
    return true;
}

}  // namespace fu::storage
