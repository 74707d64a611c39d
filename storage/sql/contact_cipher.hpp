#pragma once
// Contacts are personal data: a customer's phone, email and IM are stored
// sealed with AES-256-GCM, so a copy of the database file (a backup, a laptop)
// does not give them away. Everything else stays plain so SQL can count it.
#include <optional>
#include <string>
#include <string_view>

namespace fu::storage {

class ContactCipher {
public:
    static constexpr std::size_t kKeyBytes = 32;

    // key: kKeyBytes raw bytes. Throws std::invalid_argument otherwise.
    explicit ContactCipher(std::string key);

    // "" stays ""; anything else becomes "enc1:" + base64(nonce ‖ ciphertext ‖ tag),
    // with a fresh random 96-bit nonce each time.
    std::string seal(std::string_view plain) const;
    // The plaintext of a sealed value; a value without the prefix (written
    // before encryption was on) as it is. Throws StorageError if the value was
    // altered or sealed with another key.
    std::string open(std::string_view stored) const;
    static bool is_sealed(std::string_view stored);

    // Identifies the key without revealing it (HMAC-SHA256 of a fixed label,
    // hex): stored once, so a database is never opened with the wrong key.
    std::string check_value() const;

    // A stable id for `text` (128 bits of HMAC-SHA256 under the key, hex):
    // equal texts match, and without the key it cannot be traced back, even
    // for a text as guessable as a phone number.
    std::string fingerprint(std::string_view text) const;

private:
    std::string mac_hex(std::string_view text, std::size_t max_bytes) const;  // HMAC-SHA256, hex

    std::string key_;
};

// A key written as 64 hex digits (e.g. `openssl rand -hex 32`), surrounding
// blanks ignored; nullopt if it is not one.
std::optional<std::string> parse_hex_key(std::string_view text);

// The key kept in `file`: read if the file exists, else created with a new
// random key, readable by its owner only (0600). *created says which. Throws
// StorageError if the file cannot be read or written or holds no key.
std::string load_or_create_key_file(const std::string& file, bool* created = nullptr);

}  // namespace fu::storage
