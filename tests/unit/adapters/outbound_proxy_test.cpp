// The outbound proxy as followupd reads it: the http section, else the
// standard environment variables; a proxy URL or NO_PROXY list that does not
// read stops start-up (validate_all) naming the key or variable, never showing
// a password.
#include "adapters/outbound_proxy.hpp"

#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "adapters/registry.hpp"
#include "config/config.hpp"
#include "config_errors.hpp"

namespace {

using fu::config::Config;
using fu::config::ConfigError;
using ::testing::HasSubstr;
using Env = std::map<std::string, std::string>;

fu::net::ProxySettings proxy_of(const std::string& text, const Env& env = {}) {
    Config c = fu::config::load_text(text, env);
    fu::adapters::validate_all(c);
    return fu::adapters::outbound_proxy(c);
}

Config load(const std::string& text, const Env& env) {
    Config c = fu::config::load_text(text, env);
    fu::adapters::validate_all(c);
    return c;
}

ConfigError error_of(const std::string& text, const Env& env = {}) {
    return fu::test::config_error_of(load, text, env);
}

TEST(OutboundProxy, NoneByDefault) {
    const auto p = proxy_of("{}");
    EXPECT_FALSE(p.any());
    EXPECT_TRUE(p.no_proxy.empty());
}

TEST(OutboundProxy, TheKeyServesBothSchemesWithItsNoProxyList) {
    const auto p =
        proxy_of(R"({"http": {"proxy": "http://alice:s3cret@10.0.0.1:3128", "no_proxy": "localhost,.corp"}})");
    ASSERT_TRUE(p.https && p.http);
    EXPECT_EQ(p.https->where(), "10.0.0.1:3128");
    EXPECT_EQ(p.https->user, "alice");
    EXPECT_EQ(p.https->password, "s3cret");
    EXPECT_EQ(*p.https, *p.http);
    EXPECT_TRUE(p.no_proxy.bypass("git.corp", "443"));
    EXPECT_EQ(p.pick(true, "qyapi.weixin.qq.com", "443"), &*p.https);
    EXPECT_EQ(p.pick(true, "localhost", "443"), nullptr);
}

TEST(OutboundProxy, TheEnvironmentServesEachSchemeLowerCaseFirst) {
    const auto p = proxy_of("{}", {{"HTTPS_PROXY", "http://upper:3128"},
                                   {"https_proxy", "http://lower:3128"},
                                   {"HTTP_PROXY", "plain:8080"},
                                   {"NO_PROXY", "127.0.0.1"}});
    ASSERT_TRUE(p.https && p.http);
    EXPECT_EQ(p.https->where(), "lower:3128");
    EXPECT_EQ(p.http->where(), "plain:8080");
    EXPECT_TRUE(p.no_proxy.bypass("127.0.0.1", "80"));

    const auto https_only = proxy_of("{}", {{"HTTPS_PROXY", "http://p:3128"}, {"http_proxy", ""}});
    EXPECT_TRUE(https_only.https);
    EXPECT_FALSE(https_only.http);  // an empty variable is unset
}

TEST(OutboundProxy, TheKeysOverrideTheEnvironmentAndAnEmptyKeyMeansNoProxy) {
    const Env env = {{"HTTPS_PROXY", "http://env:3128"}, {"NO_PROXY", "*"}};
    const auto p = proxy_of(R"({"http": {"proxy": "http://config:3128"}})", env);
    EXPECT_EQ(p.https->where(), "config:3128");
    EXPECT_EQ(p.pick(true, "h", "443"), nullptr) << "NO_PROXY still applies without http.no_proxy";
    const auto own_list = proxy_of(R"({"http": {"proxy": "http://config:3128", "no_proxy": ""}})", env);
    EXPECT_NE(own_list.pick(true, "h", "443"), nullptr);
    const auto none = proxy_of(R"({"http": {"proxy": ""}})", env);
    EXPECT_FALSE(none.any());
    // FOLLOWUPD_HTTP_PROXY is the key, from the environment.
    EXPECT_EQ(proxy_of("{}", {{"FOLLOWUPD_HTTP_PROXY", "http://fu:1"}, {"HTTPS_PROXY", "http://env:2"}}).https->where(),
              "fu:1");
}

TEST(OutboundProxy, AMalformedProxyStopsStartUpNamingTheKeyWithoutThePassword) {
    auto e = error_of(R"({"http": {"proxy": "socks5://alice:topsecret@proxy:1080"}})");
    EXPECT_EQ(e.key(), "http.proxy");
    EXPECT_EQ(e.value(), "socks5://alice:***@proxy:1080");
    EXPECT_THAT(e.expected(), HasSubstr("only http"));
    EXPECT_THAT(std::string(e.what()), ::testing::Not(HasSubstr("topsecret")));

    e = error_of(R"({"http": {"proxy": 3128}})");
    EXPECT_EQ(e.key(), "http.proxy");
}

TEST(OutboundProxy, AMalformedVariableStopsStartUpNamingTheVariable) {
    auto e = error_of("{}", {{"https_proxy", "http://proxy:99999"}});
    EXPECT_EQ(e.key(), "https_proxy");
    EXPECT_THAT(e.expected(), HasSubstr("1..65535"));
    e = error_of("{}", {{"HTTP_PROXY", "https://proxy:3128"}});
    EXPECT_EQ(e.key(), "HTTP_PROXY");
    e = error_of("{}", {{"FOLLOWUPD_HTTP_PROXY", "http://u:pw@[::1"}});
    EXPECT_EQ(e.key(), "FOLLOWUPD_HTTP_PROXY");
    EXPECT_THAT(std::string(e.what()), ::testing::Not(HasSubstr(":pw@")));
    e = error_of("{}", {{"NO_PROXY", "localhost,10.0.0.0/40"}});
    EXPECT_EQ(e.key(), "NO_PROXY");
    EXPECT_THAT(e.expected(), HasSubstr("10.0.0.0/40"));
    e = error_of(R"({"http": {"no_proxy": "bad host!"}})");
    EXPECT_EQ(e.key(), "http.no_proxy");
}

TEST(OutboundProxy, UnknownKeysInTheHttpSectionAreRefused) {
    auto e = error_of(R"({"http": {"proxy_url": "http://p:1"}})");
    EXPECT_EQ(e.key(), "http.proxy_url");
}

}  // namespace
