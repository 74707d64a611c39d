// The e-mail adapter against a real SMTP server: aiosmtpd (Debian
// python3-aiosmtpd) on 127.0.0.1, a port of its own choosing, in plain,
// STARTTLS (with AUTH) and SMTPS modes, with a throwaway self-signed
// certificate. Each received message is parsed by Python's `email` package
// and summarised as JSON for the checks here. The server stops by PID at the
// end of each test, and by itself after two minutes whatever happens.
#include "adapters/email/email.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace {
using namespace std::chrono_literals;
using fu::MessageKind;
using fu::adapters::Outbound;
using fu::adapters::SendResult;
using nlohmann::json;
using ::testing::HasSubstr;
namespace em = fu::adapters::email;
namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, which has aiosmtpd

// The SMTP server the node tests use too: argv mode (plain | starttls | smtps),
// out dir, cert, key, user, password. It binds 127.0.0.1:0 and writes the port
// to <out>/port. Recipients starting with "refuse" get 550, with "busy" 451.
const fs::path kServerScript = fs::path(FU_SOURCE_DIR) / "tests/integration/email_smtp_server.py";

bool has_aiosmtpd() {
    return std::system((std::string(kPython) + " -c 'import aiosmtpd' >/dev/null 2>&1").c_str()) == 0;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A temporary folder with a self-signed certificate for
// localhost and 127.0.0.1; the server process, stopped by PID.
class SmtpServer {
public:
    explicit SmtpServer(const std::string& mode) {
        dir_ = fs::temp_directory_path() / ("fu-email-" + std::to_string(::getpid()) + "-" + std::to_string(++serial_));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "out");
        const std::string openssl =
            "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
            " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
            key().string() + "' -out '" + cert().string() + "' >/dev/null 2>&1";
        if (std::system(openssl.c_str()) != 0) throw std::runtime_error("openssl could not make a certificate");
        pid_ = ::fork();
        if (pid_ == 0) {
            const std::string script = kServerScript.string(), out = (dir_ / "out").string();
            const std::string c = cert().string(), k = key().string();
            ::execl(kPython, kPython, script.c_str(), mode.c_str(), out.c_str(), c.c_str(), k.c_str(), "mailer",
                    "s3cret pass", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (auto waited = 0ms; waited < 15s; waited += 50ms) {
            if (fs::exists(dir_ / "out" / "port")) {
                port_ = std::stoi(slurp(dir_ / "out" / "port"));
                return;
            }
            std::this_thread::sleep_for(50ms);
        }
        stop();
        throw std::runtime_error("the SMTP server did not start");
    }
    ~SmtpServer() {
        stop();
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    int port() const { return port_; }
    fs::path cert() const { return dir_ / "cert.pem"; }
    fs::path key() const { return dir_ / "key.pem"; }

    // The summary of received message number n (1-based), waiting briefly for it.
    json received(int n) const {
        const auto p = dir_ / "out" / (std::to_string(n) + ".json");
        for (auto waited = 0ms; waited < 5s && !fs::exists(p); waited += 20ms) std::this_thread::sleep_for(20ms);
        if (!fs::exists(p)) return nullptr;
        return json::parse(slurp(p));
    }
    bool exists(int n) const { return fs::exists(dir_ / "out" / (std::to_string(n) + ".json")); }

private:
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    static inline int serial_ = 0;
    fs::path dir_;
    pid_t pid_ = -1;
    int port_ = 0;
};

em::Options options(int port, em::Tls tls) {
    em::Options o;
    o.host = "127.0.0.1";
    o.port = port;
    o.tls = tls;
    o.from = "followupd@example.com";
    o.from_name = "Follow-ups";
    o.timeout = 10s;
    return o;
}

SendResult send(em::EmailAdapter& adapter, Outbound out) {
    boost::asio::io_context io;
    auto done = boost::asio::co_spawn(io, adapter.send(std::move(out)), boost::asio::use_future);
    io.run();
    return done.get();
}

Outbound message(std::string to, MessageKind kind, std::string text) {
    Outbound out;
    out.recipient = std::move(to);
    out.kind = kind;
    out.text = std::move(text);
    return out;
}

const std::string kEnReminder =
    "⏰ Follow-up due\n#12 Acme Corp · call: quote · Tue 11-24 10:00\nTier A · active\n"
    "Reply: done 12 <result> [next <time>]";
const std::string kZhReminder = "⏰ 跟进提醒\n#12 华为技术有限公司 · 电话：报价\n回复：完成 12 <结果>";

class EmailSmtp : public ::testing::Test {
protected:
    void SetUp() override {
        if (!has_aiosmtpd()) GTEST_SKIP() << "needs Debian python3-aiosmtpd (scripts/lib.sh TEST_PACKAGES)";
    }
    const fu::FakeClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 20h + 49min + 58s};
};

TEST_F(EmailSmtp, AnEnglishReminderArrivesWithHeadersThatParse) {
    SmtpServer server("plain");
    em::EmailAdapter adapter(options(server.port(), em::Tls::none), clock_);
    Outbound out = message("wang@example.com", MessageKind::reminder, kEnReminder);
    out.buttons = {{"✅ Done", "done 12"}, {"Snooze 1h", "snooze 12 1h"}};
    const auto r = send(adapter, out);
    ASSERT_EQ(r.status, SendResult::Status::sent) << r.error;
    const json m = server.received(1);
    ASSERT_FALSE(m.is_null());
    EXPECT_EQ(m["mail_from"], "followupd@example.com");
    EXPECT_EQ(m["rcpt_tos"], json::array({"wang@example.com"}));
    EXPECT_EQ(m["from_addr"], "followupd@example.com");
    EXPECT_EQ(m["from_name"], "Follow-ups");
    EXPECT_EQ(m["to"], "wang@example.com");
    EXPECT_EQ(m["subject"], "Follow-up due: #12 Acme Corp · call: quote · Tue 11-24 10:00");
    EXPECT_EQ(m["date"], "2026-12-06T20:49:58+00:00");
    EXPECT_EQ(m["message_id"], r.message_ref);
    EXPECT_THAT(m["message_id"].get<std::string>(), ::testing::EndsWith("@example.com>"));
    EXPECT_EQ(m["mime_version"], "1.0");
    EXPECT_EQ(m["content_type"], "multipart/alternative");
    EXPECT_EQ(m["defects"], json::array());
    EXPECT_LE(m["max_line"].get<int>(), 998);
    EXPECT_FALSE(m["bare_lf"].get<bool>());
    ASSERT_EQ(m["parts"].size(), 2u);
    const json& plain = m["parts"][0];
    const json& html = m["parts"][1];
    EXPECT_EQ(plain["type"], "text/plain");
    EXPECT_EQ(plain["charset"], "utf-8");
    EXPECT_EQ(plain["encoding"], "quoted-printable");
    EXPECT_EQ(plain["defects"], json::array());
    EXPECT_THAT(plain["text"].get<std::string>(), HasSubstr("#12 Acme Corp · call: quote"));
    EXPECT_THAT(plain["text"].get<std::string>(), HasSubstr("  snooze 12 1h   (Snooze 1h)"));
    EXPECT_EQ(html["type"], "text/html");
    EXPECT_THAT(html["text"].get<std::string>(), HasSubstr("Reply: done 12 &lt;result&gt; [next &lt;time&gt;]"));
    EXPECT_THAT(html["text"].get<std::string>(), HasSubstr("<li><code>done 12</code>"));
    EXPECT_FALSE(m["tls"].get<bool>());
    EXPECT_FALSE(m["authenticated"].get<bool>());
}

TEST_F(EmailSmtp, AChineseReminderGoesOverStartTlsWithAuth) {
    SmtpServer server("starttls");
    auto o = options(server.port(), em::Tls::starttls);
    o.username = "mailer";
    o.password = "s3cret pass";
    o.ca_file = server.cert().string();
    o.from_name = "跟进助手";
    em::EmailAdapter adapter(o, clock_);
    const auto r = send(adapter, message("li@example.com", MessageKind::reminder, kZhReminder));
    ASSERT_EQ(r.status, SendResult::Status::sent) << r.error;
    const json m = server.received(1);
    ASSERT_FALSE(m.is_null());
    EXPECT_TRUE(m["tls"].get<bool>());
    EXPECT_TRUE(m["authenticated"].get<bool>());
    EXPECT_EQ(m["login"], "mailer");
    EXPECT_EQ(m["from_name"], "跟进助手");
    EXPECT_EQ(m["subject"], "跟进提醒：#12 华为技术有限公司 · 电话：报价");
    EXPECT_EQ(m["defects"], json::array());
    EXPECT_THAT(m["parts"][0]["text"].get<std::string>(), HasSubstr(kZhReminder));
    EXPECT_THAT(m["parts"][1]["text"].get<std::string>(), HasSubstr("lang=\"zh\""));
}

TEST_F(EmailSmtp, AWrongPasswordFailsWithTheServersReply) {
    SmtpServer server("starttls");
    auto o = options(server.port(), em::Tls::starttls);
    o.username = "mailer";
    o.password = "wrong";
    o.ca_file = server.cert().string();
    em::EmailAdapter adapter(o, clock_);
    const auto r = send(adapter, message("li@example.com", MessageKind::notice, "hello"));
    EXPECT_EQ(r.status, SendResult::Status::failed);
    EXPECT_THAT(r.error, HasSubstr("535"));
    EXPECT_THAT(r.error, ::testing::Not(HasSubstr("wrong")));
    EXPECT_FALSE(server.exists(1));
}

TEST_F(EmailSmtp, AnUntrustedCertificateIsNotAccepted) {
    SmtpServer server("starttls");
    auto o = options(server.port(), em::Tls::starttls);
    o.username = "mailer";
    o.password = "s3cret pass";  // ca_file unset: the system's CAs do not know the server's certificate
    em::EmailAdapter adapter(o, clock_);
    const auto r = send(adapter, message("li@example.com", MessageKind::notice, "hello"));
    EXPECT_EQ(r.status, SendResult::Status::retry);
    EXPECT_FALSE(server.exists(1));
}

TEST_F(EmailSmtp, ImplicitTlsOnSmtps) {
    SmtpServer server("smtps");
    auto o = options(server.port(), em::Tls::smtps);
    o.username = "mailer";
    o.password = "s3cret pass";
    o.ca_file = server.cert().string();
    em::EmailAdapter adapter(o, clock_);
    Outbound out = message("wang@example.com", MessageKind::reply, "Your list:\n```\n#  Name\n1  A&B\n```");
    const auto r = send(adapter, out);
    ASSERT_EQ(r.status, SendResult::Status::sent) << r.error;
    const json m = server.received(1);
    ASSERT_FALSE(m.is_null());
    EXPECT_TRUE(m["tls"].get<bool>());
    EXPECT_TRUE(m["authenticated"].get<bool>());
    EXPECT_EQ(m["subject"], "Your list");
    EXPECT_THAT(m["parts"][1]["text"].get<std::string>(),
                HasSubstr("<pre style=\"font-family:monospace\">#  Name\n1  A&amp;B</pre>"));
}

TEST_F(EmailSmtp, RefusedRecipientsFailAndBusyOnesAreRetried) {
    SmtpServer server("plain");
    em::EmailAdapter adapter(options(server.port(), em::Tls::none), clock_);
    const auto refused = send(adapter, message("refuse@example.com", MessageKind::notice, "hello"));
    EXPECT_EQ(refused.status, SendResult::Status::failed);
    EXPECT_THAT(refused.error, HasSubstr("550"));
    EXPECT_THAT(refused.error, HasSubstr("No such user here"));
    const auto busy = send(adapter, message("busy@example.com", MessageKind::notice, "hello"));
    EXPECT_EQ(busy.status, SendResult::Status::retry);
    EXPECT_THAT(busy.error, HasSubstr("451"));
    // The adapter keeps working after refusals.
    EXPECT_EQ(send(adapter, message("wang@example.com", MessageKind::notice, "hello")).status,
              SendResult::Status::sent);
}

TEST_F(EmailSmtp, NoServerIsRetried) {
    int port = 0;
    {
        SmtpServer server("plain");  // a port that was free a moment ago and is closed now
        port = server.port();
    }
    em::EmailAdapter adapter(options(port, em::Tls::none), clock_);
    const auto r = send(adapter, message("wang@example.com", MessageKind::notice, "hello"));
    EXPECT_EQ(r.status, SendResult::Status::retry);
    EXPECT_FALSE(r.error.empty());
}

// The outbound proxy is for the platforms' HTTP APIs: libcurl would otherwise
// take the environment's ALL_PROXY (here a closed port) for SMTP too.
TEST_F(EmailSmtp, AProxyInTheEnvironmentIsNotUsedForSmtp) {
    SmtpServer server("plain");
    int dead = 0;
    {
        SmtpServer gone("plain");
        dead = gone.port();
    }
    const std::string proxy = "http://127.0.0.1:" + std::to_string(dead);
    for (const char* var : {"ALL_PROXY", "all_proxy", "smtp_proxy"}) ::setenv(var, proxy.c_str(), 1);
    em::EmailAdapter adapter(options(server.port(), em::Tls::none), clock_);
    const auto r = send(adapter, message("wang@example.com", MessageKind::notice, "hello"));
    for (const char* var : {"ALL_PROXY", "all_proxy", "smtp_proxy"}) ::unsetenv(var);
    ASSERT_EQ(r.status, SendResult::Status::sent) << r.error;
    EXPECT_FALSE(server.received(1).is_null());
}

TEST_F(EmailSmtp, AnAddressThatIsNotOneFailsWithoutConnecting) {
    em::EmailAdapter adapter(options(1, em::Tls::none), clock_);
    const auto r = send(adapter, message("wang\r\nRCPT TO:<x@example.com>", MessageKind::notice, "hello"));
    EXPECT_EQ(r.status, SendResult::Status::failed);
    EXPECT_THAT(r.error, HasSubstr("not an e-mail address"));
}

TEST_F(EmailSmtp, WebhooksAreNotFound) {
    em::EmailAdapter adapter(options(1, em::Tls::none), clock_);
    boost::asio::io_context io;
    auto done = boost::asio::co_spawn(io, adapter.intake(fu::net::Request{}), boost::asio::use_future);
    io.run();
    const auto intake = done.get();
    ASSERT_TRUE(intake.answer);
    EXPECT_EQ(intake.answer->result_int(), 404u);
}

}  // namespace
