#pragma once
// The cryptographic helpers the server and the adapters share, in one place
// (OpenSSL EVP). Every function is pure and thread-safe; failures are reported
// as empty results or nullopt, never as exceptions, so a hostile body can only
// ever produce "rejected".
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fu::net::crypto {

// Constant-time comparison of two secrets: the time depends on the lengths
// only (different lengths are unequal at once; equal lengths use CRYPTO_memcmp).
bool constant_time_equal(std::string_view a, std::string_view b);

// HMAC-SHA256(key, data) as 32 raw bytes; empty if OpenSSL fails.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Plain digests as raw bytes (32 and 20 bytes).
std::string sha256(std::string_view data);
std::string sha1(std::string_view data);

// Lower-case hex of raw bytes: two characters a byte.
std::string hex(std::string_view bytes);
// %XX escapes decoded (either case); '+' stays '+' (base64 uses it in WeCom's
// query strings). nullopt: a broken escape.
std::optional<std::string> percent_decode(std::string_view s);

// Standard base64 (RFC 4648 section 4) with "=" padding.
std::string base64_encode(std::string_view bytes);
// Strict decoding: only the standard alphabet, padding required, no blanks,
// the unused bits of the last character zero. nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);

// n bytes from OpenSSL's CSPRNG (RAND_bytes); throws std::runtime_error if it fails.
std::string random_bytes(std::size_t n);

// AES-256-CBC without padding (the caller pads: PKCS#7 to 16 bytes for
// Feishu, to 32 bytes for WeCom). key: 32 bytes, iv: 16 bytes, data: a
// multiple of 16 bytes; nullopt otherwise or if OpenSSL fails.
std::optional<std::string> aes256_cbc_encrypt(std::string_view key, std::string_view iv, std::string_view data);
std::optional<std::string> aes256_cbc_decrypt(std::string_view key, std::string_view iv, std::string_view data);

// PKCS#7 with the given block size (1..255): 1..block bytes of value n appended.
std::string pkcs7_pad(std::string_view data, std::size_t block);
// Checks and strips PKCS#7 padding: the last byte n must be 1..block, and the
// last n bytes all equal n, and the length a multiple of block. nullopt if not.
std::optional<std::string> pkcs7_unpad(std::string_view data, std::size_t block);

}  // namespace fu::net::crypto
