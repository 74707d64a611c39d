// The pure parts of the outbound proxy: proxy URLs, NO_PROXY lists (curl's
// semantics), and which proxy a request takes.
#include "net/proxy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {
using fu::net::NoProxy;
using fu::net::parse_proxy_url;
using fu::net::ProxyError;
using fu::net::ProxySettings;
using fu::net::ProxyUrl;
using fu::net::redact_proxy_url;
using ::testing::HasSubstr;

std::string error_of(std::string_view url) {
    try {
        parse_proxy_url(url);
    } catch (const ProxyError& e) {
        return e.what();
    }
    return "(no ProxyError)";
}

std::string no_proxy_error(std::string_view list) {
    try {
        NoProxy::parse(list);
    } catch (const ProxyError& e) {
        return e.what();
    }
    return "(no ProxyError)";
}

TEST(ProxyUrl, HostAndPort) {
    const auto p = parse_proxy_url("http://proxy.example.com:3128");
    EXPECT_EQ(p.host, "proxy.example.com");
    EXPECT_EQ(p.port, "3128");
    EXPECT_EQ(p.user, "");
    EXPECT_EQ(p.where(), "proxy.example.com:3128");
    EXPECT_EQ(p.authorization(), "");
}

TEST(ProxyUrl, SchemeLessPortLessAndTrailingSlashAsInCurl) {
    EXPECT_EQ(parse_proxy_url("10.0.0.1:8080").where(), "10.0.0.1:8080");
    EXPECT_EQ(parse_proxy_url("HTTP://proxy/").where(), "proxy:1080");  // curl's default port
    EXPECT_EQ(parse_proxy_url("  http://proxy:3128/ \n").where(), "proxy:3128");
}

TEST(ProxyUrl, IPv6InBrackets) {
    const auto p = parse_proxy_url("http://[fd00::1]:3128");
    EXPECT_EQ(p.host, "fd00::1");
    EXPECT_EQ(p.where(), "[fd00::1]:3128");
    EXPECT_THAT(error_of("http://fd00::1:3128"), HasSubstr("brackets"));
    EXPECT_THAT(error_of("http://[fd00::1:3128"), HasSubstr("\"]\""));
    EXPECT_THAT(error_of("http://[proxy]:3128"), HasSubstr("not an IPv6 address"));
}

TEST(ProxyUrl, UserAndPasswordArePercentDecodedAndMakeBasicAuth) {
    const auto p = parse_proxy_url("http://alice:p%40ss%3Aword@proxy:3128");
    EXPECT_EQ(p.user, "alice");
    EXPECT_EQ(p.password, "p@ss:word");
    // base64("alice:p@ss:word")
    EXPECT_EQ(p.authorization(), "Basic YWxpY2U6cEBzczp3b3Jk");
    EXPECT_EQ(p.where(), "proxy:3128");                                                  // never the credentials
    EXPECT_EQ(parse_proxy_url("http://bob@proxy:1").authorization(), "Basic Ym9iOg==");  // "bob:"
    // The last "@" ends the userinfo, as in curl.
    EXPECT_EQ(parse_proxy_url("http://u:a@b@proxy:1").password, "a@b");
}

TEST(ProxyUrl, WhatIsRefusedSaysWhy) {
    EXPECT_THAT(error_of(""), HasSubstr("empty"));
    EXPECT_THAT(error_of("https://proxy:3128"), HasSubstr("https:// proxies"));
    EXPECT_THAT(error_of("socks5://proxy:1080"), HasSubstr("\"socks5\" is not supported"));
    EXPECT_THAT(error_of("http://proxy:0"), HasSubstr("1..65535"));
    EXPECT_THAT(error_of("http://proxy:65536"), HasSubstr("1..65535"));
    EXPECT_THAT(error_of("http://proxy:31x"), HasSubstr("1..65535"));
    EXPECT_THAT(error_of("http://proxy:"), HasSubstr("1..65535"));
    EXPECT_THAT(error_of("http://:3128"), HasSubstr("no host"));
    EXPECT_THAT(error_of("http://proxy:3128/path"), HasSubstr("a path"));
    EXPECT_THAT(error_of("http://proxy:3128?x"), HasSubstr("a path"));
    EXPECT_THAT(error_of("http://pro xy:3128"), HasSubstr("blank"));
    EXPECT_THAT(error_of("http://pro$y:3128"), HasSubstr("not a host name"));
    EXPECT_THAT(error_of("http://:pw@proxy:3128"), HasSubstr("empty user name"));
    EXPECT_THAT(error_of("http://u:%zz@proxy:3128"), HasSubstr("%XX"));
    EXPECT_THAT(error_of("http://u:%4@proxy:3128"), HasSubstr("%XX"));
    // Every message shows the expected form.
    EXPECT_THAT(error_of("ftp://x"), HasSubstr("http://proxy.example.com:3128"));
}

TEST(ProxyUrl, ErrorsNeverShowThePassword) {
    EXPECT_THAT(error_of("http://alice:topsecret@proxy:99999"), ::testing::Not(HasSubstr("topsecret")));
    EXPECT_EQ(redact_proxy_url("http://alice:topsecret@proxy:3128"), "http://alice:***@proxy:3128");
    EXPECT_EQ(redact_proxy_url("alice:topsecret@proxy:3128"), "alice:***@proxy:3128");
    EXPECT_EQ(redact_proxy_url("http://alice@proxy:3128"), "http://alice@proxy:3128");
    EXPECT_EQ(redact_proxy_url("http://proxy:3128/a@b"), "http://proxy:3128/a@b");
    EXPECT_EQ(redact_proxy_url("http://u:p@w@proxy"), "http://u:***@proxy");
}

TEST(NoProxy, NamesMatchThemselvesAndTheirSubdomainsOnly) {
    const auto np = NoProxy::parse("example.com, .internal.corp  *.lan");
    EXPECT_TRUE(np.bypass("example.com", "443"));
    EXPECT_TRUE(np.bypass("api.example.com", "443"));
    EXPECT_TRUE(np.bypass("API.Example.COM.", "443"));  // no case, trailing dot
    EXPECT_FALSE(np.bypass("myexample.com", "443"));
    EXPECT_FALSE(np.bypass("example.com.cn", "443"));
    // A leading dot (or "*.") is ignored, as in curl: the domain itself matches too.
    EXPECT_TRUE(np.bypass("internal.corp", "80"));
    EXPECT_TRUE(np.bypass("a.b.internal.corp", "80"));
    EXPECT_TRUE(np.bypass("printer.lan", "80"));
    EXPECT_TRUE(np.bypass("lan", "80"));
    EXPECT_FALSE(np.bypass("qyapi.weixin.qq.com", "443"));
}

TEST(NoProxy, StarAloneMeansEveryHost) {
    EXPECT_TRUE(NoProxy::parse("*").bypass("qyapi.weixin.qq.com", "443"));
    EXPECT_TRUE(NoProxy::parse("localhost,*").bypass("10.1.2.3", "443"));
    EXPECT_FALSE(NoProxy::parse("").bypass("localhost", "80"));
    EXPECT_TRUE(NoProxy::parse(" , ,").empty());
}

TEST(NoProxy, LoopbackIsNotBypassedUnlessListed) {
    const auto none = NoProxy::parse("example.com");
    EXPECT_FALSE(none.bypass("localhost", "80"));
    EXPECT_FALSE(none.bypass("127.0.0.1", "80"));
    EXPECT_FALSE(none.bypass("[::1]", "80"));
    // A name never matches an IP literal, nor an IP a name: nothing is resolved.
    const auto listed = NoProxy::parse("localhost");
    EXPECT_TRUE(listed.bypass("localhost", "80"));
    EXPECT_FALSE(listed.bypass("127.0.0.1", "80"));
}

TEST(NoProxy, IpLiteralsAndRanges) {
    const auto np = NoProxy::parse("127.0.0.1,10.0.0.0/8,::1,fd00::/8 ,192.168.1.0/24");
    EXPECT_TRUE(np.bypass("127.0.0.1", "80"));
    EXPECT_FALSE(np.bypass("127.0.0.2", "80"));
    EXPECT_TRUE(np.bypass("10.200.3.4", "443"));
    EXPECT_FALSE(np.bypass("11.0.0.1", "443"));
    EXPECT_TRUE(np.bypass("[::1]", "443"));
    EXPECT_TRUE(np.bypass("::1", "443"));
    EXPECT_TRUE(np.bypass("fd12:3456::7", "443"));
    EXPECT_FALSE(np.bypass("fe80::1", "443"));
    EXPECT_TRUE(np.bypass("192.168.1.77", "443"));
    EXPECT_FALSE(np.bypass("192.168.2.77", "443"));
    // An IPv4 range never matches an IPv6 address, nor a name that looks like the start of one.
    EXPECT_FALSE(np.bypass("10.example.com", "443"));
    EXPECT_TRUE(NoProxy::parse("0.0.0.0/0").bypass("8.8.8.8", "53"));
    EXPECT_FALSE(NoProxy::parse("0.0.0.0/0").bypass("::1", "53"));
    EXPECT_TRUE(NoProxy::parse("10.1.2.3/31").bypass("10.1.2.2", "1"));
    EXPECT_FALSE(NoProxy::parse("10.1.2.3/31").bypass("10.1.2.4", "1"));
}

TEST(NoProxy, APortLimitsTheEntryToThatPort) {
    const auto np = NoProxy::parse("example.com:8443,127.0.0.1:9000,[::1]:9001");
    EXPECT_TRUE(np.bypass("api.example.com", "8443"));
    EXPECT_FALSE(np.bypass("api.example.com", "443"));
    EXPECT_TRUE(np.bypass("127.0.0.1", "9000"));
    EXPECT_FALSE(np.bypass("127.0.0.1", "9001"));
    EXPECT_TRUE(np.bypass("::1", "9001"));
    EXPECT_FALSE(np.bypass("::1", "9000"));
}

TEST(NoProxy, UnreadableEntriesAreErrorsNamingThem) {
    EXPECT_EQ(no_proxy_error("example.com,exa mple"), "(no ProxyError)");  // a blank separates entries
    EXPECT_THAT(no_proxy_error("good.com,bad$host"), HasSubstr("\"bad$host\""));
    EXPECT_THAT(no_proxy_error("10.0.0.0/33"), HasSubstr("0..32"));
    EXPECT_THAT(no_proxy_error("fd00::/129"), HasSubstr("0..128"));
    EXPECT_THAT(no_proxy_error("example.com/8"), HasSubstr("not an IP address"));
    EXPECT_THAT(no_proxy_error("example.com:0"), HasSubstr("1..65535"));
    EXPECT_THAT(no_proxy_error("[::1"), HasSubstr("\"]\""));
    EXPECT_THAT(no_proxy_error("."), HasSubstr("not a host name"));
}

TEST(ProxySettings, PicksByScheme) {
    ProxySettings s;
    s.https = parse_proxy_url("http://tls-proxy:3128");
    s.http = parse_proxy_url("http://plain-proxy:8080");
    s.no_proxy = NoProxy::parse("internal.example.com,127.0.0.1");
    ASSERT_NE(s.pick(true, "qyapi.weixin.qq.com", "443"), nullptr);
    EXPECT_EQ(s.pick(true, "qyapi.weixin.qq.com", "443")->host, "tls-proxy");
    EXPECT_EQ(s.pick(false, "emulator", "80")->host, "plain-proxy");
    EXPECT_EQ(s.pick(true, "api.internal.example.com", "443"), nullptr);
    EXPECT_EQ(s.pick(false, "127.0.0.1", "8080"), nullptr);

    ProxySettings https_only;
    https_only.https = parse_proxy_url("http://p:1");
    EXPECT_NE(https_only.pick(true, "h", "443"), nullptr);
    EXPECT_EQ(https_only.pick(false, "h", "80"), nullptr);
    EXPECT_EQ(ProxySettings{}.pick(true, "h", "443"), nullptr);
}

TEST(ProxySettings, DescribeNamesTheProxiesButNeverThePassword) {
    ProxySettings s;
    s.https = s.http = parse_proxy_url("http://alice:topsecret@proxy:3128");
    s.no_proxy = NoProxy::parse("localhost, .corp");
    const auto line = s.describe();
    EXPECT_EQ(line, "https and http through proxy proxy:3128 (as user \"alice\"); direct for: localhost,.corp");
    EXPECT_THAT(line, ::testing::Not(HasSubstr("topsecret")));

    ProxySettings one;
    one.https = parse_proxy_url("p:1");
    EXPECT_EQ(one.describe(), "https through proxy p:1, http direct");
    EXPECT_EQ(ProxySettings{}.describe(), "direct (no proxy)");
}

}  // namespace
