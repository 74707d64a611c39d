#pragma once
// The few cryptographic helpers the server and the adapters share (OpenSSL).
#include <string>
#include <string_view>

namespace fu::server::crypto {

// Constant-time comparison of two secrets: the time depends on the lengths
// only (different lengths are unequal at once; equal lengths use CRYPTO_memcmp).
bool constant_time_equal(std::string_view a, std::string_view b);

// HMAC-SHA256(key, data) as 32 raw bytes; empty if OpenSSL fails.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Lower-case hex of raw bytes: two characters a byte.
std::string hex(std::string_view bytes);

}  // namespace fu::server::crypto
