// The section reader the adapters read their config with: defaults, the
// environment winning over the file, errors naming the full key or the
// variable, secrets never shown, and finish() refusing what was not read.
#include "adapters/section.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"

using fu::adapters::Section;
using fu::adapters::TextRule;
using fu::config::ConfigError;
using ::testing::HasSubstr;

namespace {

using Env = std::map<std::string, std::string>;

bool lower_char(unsigned char c) { return c >= 'a' && c <= 'z'; }

// Runs `read` on a section "mail" of `text`, expecting a ConfigError.
template <class Read>
ConfigError error_of(const std::string& text, const Env& env, Read read) {
    try {
        Section s("mail", text, env);
        read(s);
        s.finish();
    } catch (const ConfigError& e) {
        return e;
    }
    ADD_FAILURE() << "no ConfigError for: " << text;
    return ConfigError("", "", "");
}

}  // namespace

TEST(Section, AbsentKeysTakeTheDefaults) {
    Section s("mail", "", {});
    EXPECT_FALSE(s.boolean("enabled", false));
    EXPECT_EQ(s.integer("port", 587, 1, 65535), 587);
    EXPECT_EQ(s.string("from", "bot", "a sender"), "bot");
    EXPECT_EQ(s.secret("password", "a password"), "");
    EXPECT_EQ(s.url("api_base", "https://mail.example.com"), "https://mail.example.com");
    EXPECT_EQ(s.one_of("security", "starttls", {"starttls", "tls", "none"}), "starttls");
    EXPECT_NO_THROW(s.finish());
    EXPECT_EQ(s.keys(), (std::vector<std::string>{"enabled", "port", "from", "password", "password_file", "api_base",
                                                  "security"}));
    EXPECT_EQ(s.env_names(),
              (std::vector<std::string>{"FOLLOWUPD_MAIL_ENABLED", "FOLLOWUPD_MAIL_PORT", "FOLLOWUPD_MAIL_FROM",
                                        "FOLLOWUPD_MAIL_PASSWORD", "FOLLOWUPD_MAIL_PASSWORD_FILE",
                                        "FOLLOWUPD_MAIL_API_BASE", "FOLLOWUPD_MAIL_SECURITY"}));
}

TEST(Section, ReadsTheFile) {
    Section s("mail", R"({"enabled": true, "port": 25, "from": "ops", "password": "p w", "api_base": "http://h:1/x/",
                          "security": "tls"})",
              {});
    EXPECT_TRUE(s.boolean("enabled", false));
    EXPECT_EQ(s.integer("port", 587, 1, 65535), 25);
    EXPECT_EQ(s.string("from", "bot", "a sender"), "ops");
    EXPECT_EQ(s.secret("password", "a password"), "p w");
    EXPECT_EQ(s.url("api_base", "https://mail.example.com"), "http://h:1/x");  // trailing slash dropped
    EXPECT_EQ(s.one_of("security", "starttls", {"starttls", "tls", "none"}), "tls");
    EXPECT_NO_THROW(s.finish());
}

TEST(Section, TheEnvironmentWinsOverTheFile) {
    const Env env = {{"FOLLOWUPD_MAIL_ENABLED", "off"}, {"FOLLOWUPD_MAIL_PORT", "2525"},
                     {"FOLLOWUPD_MAIL_PASSWORD", ""},   {"FOLLOWUPD_MAIL_FROM", "env"},
                     {"FOLLOWUPD_OTHER_PORT", "1"},     {"PATH", "/bin"}};
    Section s("mail", R"({"enabled": true, "port": "not a number", "password": "file", "from": "file"})", env);
    EXPECT_FALSE(s.boolean("enabled", true));
    EXPECT_EQ(s.integer("port", 587, 1, 65535), 2525);  // the file's bad value is never looked at
    EXPECT_EQ(s.secret("password", "a password"), "");  // an empty variable clears the file's value
    EXPECT_EQ(s.string("from", "bot", "a sender"), "env");
    EXPECT_NO_THROW(s.finish());
    // A section the file does not have can be set from the environment alone.
    Section only_env("mail", "", {{"FOLLOWUPD_MAIL_ENABLED", "YES"}});
    EXPECT_TRUE(only_env.boolean("enabled", false));
}

TEST(Section, ErrorsNameTheFullKeyTheValueAndWhatWasExpected) {
    auto e = error_of(R"({"port": 70000})", {}, [](Section& s) { s.integer("port", 587, 1, 65535); });
    EXPECT_STREQ(e.what(), R"(config: mail.port = "70000": expected an integer 1..65535)");
    e = error_of(R"({"port": 0})", {}, [](Section& s) { s.integer("port", 587, 1, 65535, "a port 1..65535"); });
    EXPECT_EQ(e.expected(), "a port 1..65535");
    e = error_of(R"({"enabled": "yes"})", {}, [](Section& s) { s.boolean("enabled", false); });
    EXPECT_EQ(e.key(), "mail.enabled");
    EXPECT_EQ(e.expected(), "true or false");
    e = error_of(R"({"api_base": "mail.example.com"})", {}, [](Section& s) { s.url("api_base", "https://m.example"); });
    EXPECT_STREQ(e.what(),
                 "config: mail.api_base = \"mail.example.com\": "
                 "expected an http:// or https:// URL such as \"https://m.example\"");
    e = error_of(R"({"security": "ssl"})", {}, [](Section& s) { s.one_of("security", "tls", {"tls", "none"}); });
    EXPECT_EQ(e.expected(), R"("tls" or "none")");
    e = error_of(R"({"security": ""})", {}, [](Section& s) {
        s.one_of("security", "tls", {"starttls", "tls", "none"});
    });
    EXPECT_EQ(e.expected(), R"(one of "starttls", "tls", "none")");
    const TextRule lower{1, 8, lower_char};
    e = error_of(R"({"from": "Ops"})", {}, [&](Section& s) { s.string("from", "", "lower-case letters", lower); });
    EXPECT_EQ(e.key(), "mail.from");
    EXPECT_EQ(e.value(), "Ops");
    e = error_of(R"({"from": ""})", {}, [&](Section& s) { s.string("from", "x", "lower-case letters", lower); });
    EXPECT_EQ(e.key(), "mail.from");
    e = error_of(R"({"from": 7})", {}, [](Section& s) { s.string("from", "x", "a sender"); });
    EXPECT_EQ(e.value(), "7");
}

TEST(Section, ErrorsFromTheEnvironmentNameTheVariable) {
    auto e = error_of("", {{"FOLLOWUPD_MAIL_PORT", "80a"}}, [](Section& s) { s.integer("port", 587, 1, 65535); });
    EXPECT_EQ(e.key(), "FOLLOWUPD_MAIL_PORT");
    EXPECT_EQ(e.value(), "80a");
    e = error_of("", {{"FOLLOWUPD_MAIL_PORT", "70000"}}, [](Section& s) { s.integer("port", 587, 1, 65535); });
    EXPECT_STREQ(e.what(), R"(config: FOLLOWUPD_MAIL_PORT = "70000": expected an integer 1..65535)");
    e = error_of("", {{"FOLLOWUPD_MAIL_ENABLED", "maybe"}}, [](Section& s) { s.boolean("enabled", false); });
    EXPECT_EQ(e.key(), "FOLLOWUPD_MAIL_ENABLED");
    EXPECT_EQ(e.expected(), "true or false (also 1/0, yes/no, on/off)");
    e = error_of("", {{"FOLLOWUPD_MAIL_API_BASE", "localhost"}}, [](Section& s) { s.url("api_base", "https://m"); });
    EXPECT_EQ(e.key(), "FOLLOWUPD_MAIL_API_BASE");
    EXPECT_THAT(e.expected(), HasSubstr("URL"));
}

TEST(Section, SecretsAreNeverShown) {
    const TextRule rule{1, 16, lower_char};
    for (const char* text : {R"({"password": "hunter2"})", R"({"password": 12})", R"({"password": ""})",
                             R"({"password": "hunterhunterhunterhunter"})"}) {
        auto e = error_of(text, {}, [&](Section& s) { s.secret("password", "a password", rule); });
        EXPECT_EQ(e.key(), "mail.password") << text;
        EXPECT_EQ(e.value(), "(not shown)") << text;
        EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("hunter"))) << text;
    }
    auto v =
        error_of("", {{"FOLLOWUPD_MAIL_PASSWORD", "hunter 2"}}, [&](Section& s) { s.secret("password", "x", rule); });
    EXPECT_EQ(v.key(), "FOLLOWUPD_MAIL_PASSWORD");
    EXPECT_EQ(v.value(), "(not shown)");
}

TEST(Section, FinishRefusesKeysNotReadAndSectionsThatAreNotObjects) {
    auto e = error_of(R"({"enabled": true, "prot": 25})", {}, [](Section& s) {
        s.boolean("enabled", false);
        s.integer("port", 587, 1, 65535);
    });
    EXPECT_EQ(e.key(), "mail.prot");
    EXPECT_EQ(e.value(), "25");
    EXPECT_EQ(e.expected(), "one of the keys enabled, port");
    for (const char* text : {"7", "null", "[]", R"("smtp")"}) {
        auto n = error_of(text, {}, [](Section& s) {
            s.boolean("enabled", false);
            s.integer("port", 587, 1, 65535);
        });
        EXPECT_EQ(n.key(), "mail") << text;
        EXPECT_EQ(n.expected(), "an object with the keys enabled, port") << text;
    }
}

TEST(Section, RequiredWhenEnabled) {
    auto missing = error_of(R"({"enabled": true})", {}, [](Section& s) {
        s.boolean("enabled", false);
        s.finish();
        s.required_when_enabled("host", true, "a host name");
    });
    EXPECT_STREQ(missing.what(),
                 R"x(config: mail.host = "(missing)": expected a host name (required when mail.enabled is true))x");
    auto empty = error_of(R"({"enabled": true, "host": ""})", {}, [](Section& s) {
        s.string("host", "", "a host name");
        s.required_when_enabled("host", true, "a host name");
    });
    EXPECT_EQ(empty.key(), "mail.host");
    EXPECT_EQ(empty.value(), "");
    auto from_env = error_of(R"({"host": "h"})", {{"FOLLOWUPD_MAIL_HOST", ""}}, [](Section& s) {
        s.string("host", "", "a host name");
        s.required_when_enabled("host", true, "a host name");
    });
    EXPECT_EQ(from_env.key(), "FOLLOWUPD_MAIL_HOST");
    Section fine("mail", R"({"host": "h"})", {});
    EXPECT_NO_THROW(fine.required_when_enabled("host", false, "a host name"));
}

TEST(Section, FromALoadedConfig) {
    const auto cfg = fu::config::load_text(R"({"mail": {"port": 25}})", {{"FOLLOWUPD_MAIL_FROM", "ops"}});
    Section s(cfg, "mail");
    EXPECT_EQ(s.name(), "mail");
    EXPECT_EQ(s.integer("port", 587, 1, 65535), 25);
    EXPECT_EQ(s.string("from", "bot", "a sender"), "ops");
    Section absent(cfg, "pager");
    EXPECT_EQ(absent.integer("port", 587, 1, 65535), 587);
    EXPECT_NO_THROW(absent.finish());
}

namespace {
// A file in a fresh folder of its own, removed with it.
struct SecretDir {
    std::filesystem::path dir;
    SecretDir() {
        dir = std::filesystem::temp_directory_path() /
              ("fu-secret-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir);
    }
    ~SecretDir() { std::filesystem::remove_all(dir); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name, std::ios::binary) << text;
        return (dir / name).string();
    }
};
}  // namespace

TEST(SectionSecretFile, TheFilesTextWithoutItsLineBreak) {
    SecretDir d;
    const auto file = d.write("pw", "s3cret\r\n");
    Section s("mail", R"({"password_file": ")" + file + R"("})", {});
    EXPECT_EQ(s.secret("password", "a password"), "s3cret");
    EXPECT_NO_THROW(s.finish());
}

TEST(SectionSecretFile, FromTheEnvironmentAndRelativeToTheCredentialsDirectory) {
    SecretDir d;
    d.write("mail_password", "from-credential\n");
    ::setenv("CREDENTIALS_DIRECTORY", d.dir.c_str(), 1);
    Section s("mail", "{}", {{"FOLLOWUPD_MAIL_PASSWORD_FILE", "mail_password"}});
    const auto got = s.secret("password", "a password");
    ::unsetenv("CREDENTIALS_DIRECTORY");
    EXPECT_EQ(got, "from-credential");
}

TEST(SectionSecretFile, ErrorsNameTheFileKeyAndNeverShowTheSecret) {
    SecretDir d;
    const auto file = d.write("pw", "has blanks inside\n");
    const auto both = error_of(R"({"password": "x", "password_file": ")" + file + R"("})", {},
                               [](Section& s) { s.secret("password", "a password"); });
    EXPECT_EQ(both.key(), "mail.password_file");
    EXPECT_THAT(both.what(), HasSubstr("only one of mail.password and mail.password_file"));

    const auto missing =
        error_of(R"({"password_file": "/nonexistent/pw"})", {}, [](Section& s) { s.secret("password", "a password"); });
    EXPECT_EQ(missing.key(), "mail.password_file");
    EXPECT_THAT(missing.what(), HasSubstr("/nonexistent/pw"));
    EXPECT_THAT(missing.what(), HasSubstr("No such file"));

    const auto empty = error_of(R"({"password_file": ")" + d.write("empty", "\n") + R"("})", {},
                                [](Section& s) { s.secret("password", "a password"); });
    EXPECT_THAT(empty.what(), HasSubstr("is empty"));

    const auto bad = error_of(R"({"password_file": ")" + file + R"("})", {}, [](Section& s) {
        s.secret("password", "a password without blanks", fu::adapters::kSecretRule);
    });
    EXPECT_EQ(bad.key(), "mail.password_file");
    EXPECT_THAT(bad.what(), ::testing::Not(HasSubstr("blanks inside")));
}
