#pragma once
// Contacts at rest, the same on every SQL engine: the key that sealed a
// database's contacts is recorded once (a check value, never the key), and a
// database opens only with that key.
#include "storage/sql/contact_cipher.hpp"
#include "storage/sql/statement.hpp"

namespace fu::storage {

// Inside the caller's transaction: checks `cipher` (null: no key) against
// the key recorded in the database and throws StorageError on a mismatch or
// when the database is sealed and no key is given. The first time a key
// comes, records it and seals the contacts and message texts written before;
// returns true then (the caller may want to clear the old pages).
bool protect_contacts(SqlStatements& statements, const ContactCipher* cipher);

}  // namespace fu::storage
