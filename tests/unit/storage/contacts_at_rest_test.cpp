// Customers' contacts sealed at rest: what a copy of the database file shows,
// what the repository gives back, and which keys open a database.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "storage/sql/contact_cipher.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_test_util.hpp"

namespace fu::storage {
namespace {

using test::RawDb;
using test::TempDir;

const std::string kKeyHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const std::string kOtherHex = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

std::string key(const std::string& hex) { return *parse_hex_key(hex); }

std::string bytes_of(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

Customer acme() {
    Customer c;
    c.name = "Acme";
    c.phone = "13812345678";
    c.email = "anna@acme-corp.example";
    c.im = "acme_wechat_77";
    c.created_at = from_unix(1795485600);
    return c;
}

// The database file and its WAL, as a thief with a copy would read them.
std::string file_bytes(const std::string& path) { return bytes_of(path) + bytes_of(path + "-wal"); }

void expect_absent(const std::string& path, std::initializer_list<const char*> secrets) {
    const std::string raw = file_bytes(path);
    for (const char* secret : secrets) EXPECT_EQ(raw.find(secret), std::string::npos) << secret;
}

// What opening `path` with `contacts_key` fails with ("" if it opens).
std::string open_error(const std::string& path, std::string contacts_key) {
    try {
        SqliteStore::open(path, std::move(contacts_key));
    } catch (const StorageError& e) {
        return e.what();
    }
    return "";
}

CustomerId add(SqliteStore& store, const Customer& c) {
    CustomerId id;
    store.transact([&](Repo& r) { id = r.add_customer(c); });
    return id;
}

std::optional<Customer> read(SqliteStore& store, CustomerId id) {
    std::optional<Customer> c;
    store.transact([&](Repo& r) { c = r.customer(id); });
    return c;
}

TEST(ContactCipher, SealsWithAFreshNonceAndOpensOnlyWithItsKey) {
    const ContactCipher cipher(key(kKeyHex));
    const std::string a = cipher.seal("13812345678"), b = cipher.seal("13812345678");
    EXPECT_TRUE(a.starts_with("enc1:"));
    EXPECT_NE(a, b);  // the same phone twice does not look the same
    EXPECT_EQ(a.find("13812345678"), std::string::npos);
    EXPECT_EQ(cipher.open(a), "13812345678");
    EXPECT_EQ(cipher.open(b), "13812345678");
    EXPECT_EQ(cipher.seal(""), "");
    EXPECT_EQ(cipher.open("13800000000"), "13800000000");  // written before encryption
    EXPECT_EQ(cipher.open(cipher.seal("王伟 微信 wx_王")), "王伟 微信 wx_王");

    const ContactCipher other(key(kOtherHex));
    EXPECT_THROW(other.open(a), StorageError);
    std::string altered = a;
    altered[10] = altered[10] == 'A' ? 'B' : 'A';
    EXPECT_THROW(cipher.open(altered), StorageError);
    EXPECT_THROW(cipher.open("enc1:not base64!"), StorageError);
    EXPECT_NE(cipher.check_value(), other.check_value());
    EXPECT_EQ(cipher.check_value(), ContactCipher(key(kKeyHex)).check_value());
    EXPECT_EQ(cipher.check_value().find(kKeyHex), std::string::npos);
}

TEST(ContactCipher, FingerprintsMatchUnderOneKeyOnly) {
    const ContactCipher cipher(key(kKeyHex)), other(key(kOtherHex));
    const std::string f = cipher.fingerprint(
        "acme\x1f"
        "13812345678\x1f"
        "acme");
    EXPECT_EQ(f.size(), 32u);
    EXPECT_EQ(f, cipher.fingerprint("acme\x1f"
                                    "13812345678\x1f"
                                    "acme"));
    EXPECT_NE(f, cipher.fingerprint("acme\x1f"
                                    "13812345679\x1f"
                                    "acme"));
    EXPECT_NE(f, other.fingerprint("acme\x1f"
                                   "13812345678\x1f"
                                   "acme"));
    EXPECT_NE(f, cipher.check_value().substr(0, 32));
}

TEST(ContactCipher, KeysAreSixtyFourHexDigits) {
    EXPECT_TRUE(parse_hex_key(kKeyHex));
    EXPECT_TRUE(parse_hex_key("  " + kOtherHex + "\n"));
    EXPECT_EQ(parse_hex_key(kKeyHex)->size(), 32u);
    EXPECT_FALSE(parse_hex_key(kKeyHex.substr(2)));
    EXPECT_FALSE(parse_hex_key("zz" + kKeyHex.substr(2)));
    EXPECT_FALSE(parse_hex_key(""));
    EXPECT_THROW(ContactCipher("short"), std::invalid_argument);
}

TEST(ContactsAtRest, TheDatabaseFileHoldsNoContactAndTheRepoGivesThemBack) {
    TempDir dir;
    const std::string path = dir.file("f.db");
    CustomerId id;
    {
        auto store = SqliteStore::open(path, key(kKeyHex));
        id = add(*store, acme());
        auto c = read(*store, id);
        ASSERT_TRUE(c);
        EXPECT_EQ(c->phone, "13812345678");
        EXPECT_EQ(c->email, "anna@acme-corp.example");
        EXPECT_EQ(c->im, "acme_wechat_77");
        Customer changed = *c;
        changed.phone = "13987654321";
        store->transact([&](Repo& r) { r.update_customer(changed); });
    }
    // Closed: the WAL is checkpointed into the file. Nothing of the contacts
    // is in it; the name (not personal data) is.
    expect_absent(path, {"13812345678", "13987654321", "anna@acme-corp.example", "acme_wechat_77"});
    EXPECT_NE(file_bytes(path).find("Acme"), std::string::npos);
    RawDb peek(path);
    EXPECT_EQ(peek.scalar("SELECT substr(phone, 1, 5) FROM customers"), "enc1:");

    auto again = SqliteStore::open(path, key(kKeyHex));
    EXPECT_EQ(read(*again, id)->phone, "13987654321");
}

TEST(ContactsAtRest, AnotherKeyOrNoKeyIsRefusedAndChangesNothing) {
    TempDir dir;
    const std::string path = dir.file("f.db");
    CustomerId id;
    {
        auto store = SqliteStore::open(path, key(kKeyHex));
        id = add(*store, acme());
    }
    const std::string other = open_error(path, key(kOtherHex));
    EXPECT_NE(other.find("storage.contacts_key"), std::string::npos) << "opened with another key: " << other;
    const std::string none = open_error(path, "");
    EXPECT_NE(none.find("encrypted"), std::string::npos) << "opened without a key: " << none;
    auto store = SqliteStore::open(path, key(kKeyHex));
    EXPECT_EQ(read(*store, id)->email, "anna@acme-corp.example");
}

TEST(ContactsAtRest, ContactsWrittenBeforeTheKeyAreSealedWhenItComes) {
    TempDir dir;
    const std::string path = dir.file("f.db");
    CustomerId id;
    {
        auto plain = SqliteStore::open(path);  // no key: as written (an older database)
        id = add(*plain, acme());
        Customer none;
        none.name = "No contacts";
        none.created_at = from_unix(1795485600);
        add(*plain, none);
    }
    {
        RawDb peek(path);
        EXPECT_EQ(peek.scalar("SELECT phone FROM customers WHERE name = 'Acme'"), "13812345678");
    }
    auto store = SqliteStore::open(path, key(kKeyHex));
    {
        RawDb peek(path);
        EXPECT_EQ(peek.scalar("SELECT count(*) FROM customers WHERE phone LIKE 'enc1:%' AND email LIKE 'enc1:%' "
                              "AND im LIKE 'enc1:%'"),
                  "1");
        EXPECT_EQ(peek.scalar("SELECT phone || email || im FROM customers WHERE name = 'No contacts'"), "");
    }
    auto c = read(*store, id);
    EXPECT_EQ(c->phone, "13812345678");
    EXPECT_EQ(c->im, "acme_wechat_77");
    // Not even left over in the pages' free space or the WAL.
    expect_absent(path, {"13812345678", "anna@acme-corp.example", "acme_wechat_77"});
}

TEST(ContactsAtRest, AlteredCiphertextIsAnErrorNotGarbage) {
    TempDir dir;
    const std::string path = dir.file("f.db");
    auto store = SqliteStore::open(path, key(kKeyHex));
    const CustomerId id = add(*store, acme());
    {
        RawDb peek(path);
        ASSERT_EQ(
            peek.run("UPDATE customers SET phone = 'enc1:' || substr(phone, 7) WHERE id = " + std::to_string(id.value))
                .rc,
            SQLITE_OK);
    }
    EXPECT_THROW(read(*store, id), StorageError);
}

// Replies to chat platforms wait in the outbox, and `who` or `claim` quote a
// customer's phone: their texts are sealed as well.
TEST(ContactsAtRest, MessageTextsAreSealedTooAndOlderOnesWhenTheKeyComes) {
    TempDir dir;
    const std::string path = dir.file("f.db");
    UserId wang;
    MessageId before;
    {
        auto plain = SqliteStore::open(path);
        plain->transact([&](Repo& r) {
            User u;
            u.handle = "wang";
            u.role = Role::rep;
            wang = r.add_user(u);
            before = r.enqueue(OutboxMessage{{},
                                             wang,
                                             from_unix(1795485600),
                                             MessageKind::reply,
                                             "phone 13800000001",
                                             {{"History", "history c1"}},
                                             {}});
        });
    }
    auto store = SqliteStore::open(path, key(kKeyHex));
    MessageId after;
    store->transact([&](Repo& r) {
        after = r.enqueue(OutboxMessage{
            {}, wang, from_unix(1795485660), MessageKind::reply, "👤 c1 Acme · phone 13812345678", {}, {}});
    });
    {
        RawDb peek(path);
        EXPECT_EQ(peek.scalar("SELECT count(*) FROM outbox WHERE text LIKE 'enc1:%'"), "2");
        EXPECT_EQ(peek.scalar("SELECT count(*) FROM outbox WHERE text LIKE '%1381234%' OR text LIKE '%1380000%'"), "0");
    }
    store->transact([&](Repo& r) {
        const auto all = r.messages_after(wang, MessageId{0}, 10);
        ASSERT_EQ(all.size(), 2u);
        EXPECT_EQ(all[0].text, "phone 13800000001");
        EXPECT_EQ(all[0].buttons.at(0).command, "history c1");
        EXPECT_EQ(all[1].text, "👤 c1 Acme · phone 13812345678");
        EXPECT_EQ(r.message(after)->text, all[1].text);
        EXPECT_EQ(r.recent_messages(wang, 1).at(0).text, all[1].text);
    });
}

TEST(ContactsKeyFor, ConfiguredElseAKeyFileBesideTheDatabaseCreatedOnce) {
    TempDir dir;
    const std::string path = dir.file("sub/f.db");
    EXPECT_EQ(contacts_key_for(path, kKeyHex, ""), key(kKeyHex));
    EXPECT_THROW(contacts_key_for(path, "not hex", ""), StorageError);
    EXPECT_EQ(contacts_key_for(":memory:", "", ""), "");

    std::string created;
    const std::string first = contacts_key_for(path, "", "", &created);
    EXPECT_EQ(created, path + ".key");
    EXPECT_EQ(first.size(), 32u);
    struct stat st {};
    ASSERT_EQ(::stat(created.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);  // its owner's only
    created.clear();
    EXPECT_EQ(contacts_key_for(path, "", "", &created), first);  // read back, not made anew
    EXPECT_EQ(created, "");

    const std::string elsewhere = dir.file("keys/contacts.key");
    const std::string k = contacts_key_for(path, "", elsewhere, &created);
    EXPECT_EQ(created, elsewhere);
    EXPECT_NE(k, first);
    std::ofstream(dir.file("bad.key")) << "not a key\n";
    EXPECT_THROW(contacts_key_for(path, "", dir.file("bad.key")), StorageError);
}

}  // namespace
}  // namespace fu::storage
