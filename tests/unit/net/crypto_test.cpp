#include "net/crypto.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace {
namespace crypto = fu::net::crypto;
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

std::string unhex(std::string_view h) {
    std::string out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out += static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
    return out;
}

// FIPS 180-2 appendix examples ("abc").
TEST(Crypto, Sha256AndSha1) {
    EXPECT_EQ(crypto::hex(crypto::sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(crypto::hex(crypto::sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(crypto::hex(crypto::sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// RFC 4648 section 10.
TEST(Crypto, Base64Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, coded] : vectors) {
        EXPECT_EQ(crypto::base64_encode(plain), coded);
        EXPECT_EQ(crypto::base64_decode(coded), std::optional<std::string>(plain)) << coded;
    }
    EXPECT_EQ(crypto::base64_decode(crypto::base64_encode("\x00\xff\xfe\x80"s)), "\x00\xff\xfe\x80"s);
}

TEST(Crypto, Base64RejectsWhatIsNotStrictBase64) {
    for (const char* bad :
         {"Zg", "Zg=", "Zm9", "Zm9v!", "Zm 9v", "Z===", "=Zg=", "Zm9v\n", "Zh==", "Zm9=", "Zg==Zg==", "Zm-v", "Zm_v"})
        EXPECT_FALSE(crypto::base64_decode(bad).has_value()) << bad;
}

// NIST SP 800-38A, F.2.5 and F.2.6 (CBC-AES256), two blocks.
TEST(Crypto, Aes256CbcNistVector) {
    const auto key = unhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
    const auto iv = unhex("000102030405060708090a0b0c0d0e0f");
    const auto plain = unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
    const auto cipher = crypto::aes256_cbc_encrypt(key, iv, plain);
    ASSERT_TRUE(cipher);
    EXPECT_EQ(crypto::hex(*cipher), "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d");
    EXPECT_EQ(crypto::aes256_cbc_decrypt(key, iv, *cipher), plain);
}

TEST(Crypto, Aes256CbcRefusesBadSizes) {
    const std::string key(32, 'k'), iv(16, 'i');
    EXPECT_FALSE(crypto::aes256_cbc_decrypt(key, iv, std::string(15, 'x')));  // truncated ciphertext
    EXPECT_FALSE(crypto::aes256_cbc_decrypt(std::string(31, 'k'), iv, std::string(16, 'x')));
    EXPECT_FALSE(crypto::aes256_cbc_encrypt(key, std::string(8, 'i'), std::string(16, 'x')));
    EXPECT_EQ(crypto::aes256_cbc_decrypt(key, iv, ""), std::optional<std::string>(""));
}

// The Feishu documentation vector, with the primitives alone: key = SHA-256("test key").
TEST(Crypto, FeishuDocumentationVectorFromPrimitives) {
    const auto raw = crypto::base64_decode("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=");
    ASSERT_TRUE(raw);
    ASSERT_EQ(raw->size(), 32u);
    const auto plain = crypto::aes256_cbc_decrypt(crypto::sha256("test key"), raw->substr(0, 16), raw->substr(16));
    ASSERT_TRUE(plain);
    EXPECT_EQ(crypto::pkcs7_unpad(*plain, 16), "hello world");
}

TEST(Crypto, Pkcs7) {
    EXPECT_EQ(crypto::pkcs7_pad("abc", 16), "abc" + std::string(13, '\x0d'));
    EXPECT_EQ(crypto::pkcs7_pad(std::string(16, 'a'), 16).size(), 32u);  // a whole block of padding
    EXPECT_EQ(crypto::pkcs7_pad("abc", 32).size(), 32u);                 // WeCom pads to 32
    EXPECT_EQ(crypto::pkcs7_unpad(crypto::pkcs7_pad("hello", 32), 32), "hello");
    EXPECT_FALSE(crypto::pkcs7_unpad("abc" + std::string(12, '\x0d') + "\x0c"s, 16));  // 12 announced, 11 disagree
    EXPECT_FALSE(crypto::pkcs7_unpad(std::string(15, 'a') + "\x00"s, 16));             // zero
    EXPECT_FALSE(crypto::pkcs7_unpad(std::string(15, 'a') + "\x11"s, 16));             // larger than the block
    EXPECT_FALSE(crypto::pkcs7_unpad(std::string(14, 'a') + "\x01\x02"s, 16));         // 2 announced, 1 present
    EXPECT_FALSE(crypto::pkcs7_unpad(std::string(15, 'a'), 16));                       // not whole blocks
    EXPECT_FALSE(crypto::pkcs7_unpad("", 16));
    EXPECT_EQ(crypto::pkcs7_unpad(std::string(31, 'a') + "\x14"s, 16), std::nullopt);      // 20 > 16
    EXPECT_TRUE(crypto::pkcs7_unpad(std::string(12, 'a') + std::string(20, '\x14'), 32));  // 20 <= 32
}

TEST(Crypto, RandomBytes) {
    const auto a = crypto::random_bytes(16), b = crypto::random_bytes(16);
    EXPECT_EQ(a.size(), 16u);
    EXPECT_NE(a, b);
}

}  // namespace
