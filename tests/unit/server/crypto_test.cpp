#include "server/crypto.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {
namespace crypto = fu::server::crypto;
using namespace std::string_literals;

// RFC 4231, section 4.2: test case 1.
TEST(Crypto, HmacSha256Rfc4231Case1) {
    const std::string key(20, '\x0b');
    const std::string mac = crypto::hmac_sha256(key, "Hi There");
    EXPECT_EQ(mac.size(), 32u);
    EXPECT_EQ(crypto::hex(mac), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

// RFC 4231, section 4.3: test case 2 (a key shorter than the output).
TEST(Crypto, HmacSha256Rfc4231Case2) {
    EXPECT_EQ(crypto::hex(crypto::hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, Hex) {
    EXPECT_EQ(crypto::hex(""), "");
    EXPECT_EQ(crypto::hex("\x00"s), "00");
    EXPECT_EQ(crypto::hex("\xff"), "ff");
    EXPECT_EQ(crypto::hex("\x00\x01\x7f\x80\xab\xff"s), "00017f80abff");
    EXPECT_EQ(crypto::hex("Hi"), "4869");
}

TEST(Crypto, ConstantTimeEqual) {
    EXPECT_TRUE(crypto::constant_time_equal("abc-_123", "abc-_123"));
    EXPECT_FALSE(crypto::constant_time_equal("abc", "abd"));
    EXPECT_FALSE(crypto::constant_time_equal("abc", "abcd"));
    EXPECT_FALSE(crypto::constant_time_equal("abcd", "abc"));
    EXPECT_FALSE(crypto::constant_time_equal("", "a"));
    EXPECT_TRUE(crypto::constant_time_equal("", ""));
    EXPECT_TRUE(crypto::constant_time_equal("a\0b"s, "a\0b"s));  // bytes, not C strings
    EXPECT_FALSE(crypto::constant_time_equal("a\0b"s, "a\0c"s));
}

}  // namespace
