#include "storage/sql/contact_cipher.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "storage/sql/statement.hpp"

namespace fu::storage {
namespace {

constexpr std::string_view kPrefix = "enc1:";
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::string_view kCheckLabel = "followupd contacts key v1";
constexpr std::string_view kFingerprintLabel = "followupd fingerprint v1\x1f";

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::string base64(std::string_view raw) {
    std::string out(4 * ((raw.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(bytes(out), bytes(raw), static_cast<int>(raw.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> unbase64(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) return std::nullopt;
    std::string out(3 * text.size() / 4, '\0');
    const int n = EVP_DecodeBlock(bytes(out), bytes(text), static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    std::size_t len = static_cast<std::size_t>(n);
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --len;  // EVP counts the padding
    out.resize(len);
    return out;
}

[[noreturn]] void crypto_failure(const char* what) { throw StorageError(std::string("contact encryption: ") + what); }

std::string to_hex(const unsigned char* data, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        out += kHex[data[i] >> 4];
        out += kHex[data[i] & 15];
    }
    return out;
}

}  // namespace

ContactCipher::ContactCipher(std::string key) : key_(std::move(key)) {
    if (key_.size() != kKeyBytes) throw std::invalid_argument("a contacts key has 32 bytes");
}

bool ContactCipher::is_sealed(std::string_view stored) { return stored.starts_with(kPrefix); }

std::string ContactCipher::seal(std::string_view plain) const {
    if (plain.empty()) return {};
    std::string nonce(kNonceBytes, '\0');
    if (RAND_bytes(bytes(nonce), static_cast<int>(nonce.size())) != 1) crypto_failure("no random nonce");
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    std::string out = nonce;
    out.resize(kNonceBytes + plain.size() + kTagBytes);
    int len = 0, tail = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes), nullptr) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key_), bytes(nonce)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), bytes(out) + kNonceBytes, &len, bytes(plain), static_cast<int>(plain.size())) !=
            1 ||
        EVP_EncryptFinal_ex(ctx.get(), bytes(out) + kNonceBytes + len, &tail) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                            bytes(out) + kNonceBytes + plain.size()) != 1)
        crypto_failure("sealing failed");
    return std::string(kPrefix) + base64(out);
}

std::string ContactCipher::open(std::string_view stored) const {
    if (!is_sealed(stored)) return std::string(stored);
    const auto raw = unbase64(stored.substr(kPrefix.size()));
    if (!raw || raw->size() < kNonceBytes + kTagBytes)
        throw StorageError("a stored contact field is damaged (not a sealed value)");
    const std::string_view all(*raw);
    const std::string_view nonce = all.substr(0, kNonceBytes);
    const std::string_view body = all.substr(kNonceBytes, all.size() - kNonceBytes - kTagBytes);
    std::string tag(all.substr(all.size() - kTagBytes));
    std::string out(body.size(), '\0');
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    int len = 0, tail = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes), nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key_), bytes(nonce)) != 1 ||
        EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(body), static_cast<int>(body.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), bytes(tag)) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), bytes(out) + len, &tail) != 1)
        throw StorageError("a stored contact field does not open with this key (altered, or sealed with another key)");
    return out;
}

std::string ContactCipher::mac_hex(std::string_view text, std::size_t max_bytes) const {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), bytes(text), text.size(), mac, &n))
        crypto_failure("HMAC failed");
    return to_hex(mac, std::min<std::size_t>(n, max_bytes));
}

std::string ContactCipher::check_value() const { return mac_hex(kCheckLabel, EVP_MAX_MD_SIZE); }

std::string ContactCipher::fingerprint(std::string_view text) const {
    return mac_hex(std::string(kFingerprintLabel) + std::string(text), 16);
}

std::optional<std::string> parse_hex_key(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.size() != 2 * ContactCipher::kKeyBytes) return std::nullopt;
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string key;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = digit(text[i]), lo = digit(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        key += static_cast<char>(hi * 16 + lo);
    }
    return key;
}

std::string load_or_create_key_file(const std::string& file, bool* created) {
    if (created) *created = false;
    std::ifstream in(file);
    if (in) {
        std::stringstream text;
        text << in.rdbuf();
        if (auto key = parse_hex_key(text.str())) return *key;
        throw StorageError("the contacts key file " + file + " does not hold a key (64 hex digits)");
    }
    std::string key(ContactCipher::kKeyBytes, '\0');
    if (RAND_bytes(bytes(key), static_cast<int>(key.size())) != 1) crypto_failure("no random key");
    // O_EXCL: two processes starting at once never write two different keys.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        if (errno == EEXIST) return load_or_create_key_file(file, created);
        throw StorageError("cannot create the contacts key file " + file + ": " + std::strerror(errno));
    }
    const std::string text = to_hex(bytes(key), key.size()) + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        ::unlink(file.c_str());
        throw StorageError("cannot write the contacts key file " + file);
    }
    if (created) *created = true;
    return key;
}

}  // namespace fu::storage
