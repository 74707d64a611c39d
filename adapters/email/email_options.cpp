#include "adapters/email/email_options.hpp"

#include "config/config.hpp"
#include "core/clock.hpp"

namespace fu::adapters::email {
namespace {

constexpr bool no_line_break(unsigned char c) { return c != '\r' && c != '\n'; }
constexpr TextRule kLine{0, 998, no_line_break};

void validate(Section& s) { (void)read_settings(s); }

std::unique_ptr<Adapter> make(Section& s, Deps&) {
    Settings settings = read_settings(s);
    if (!settings.enabled) return nullptr;
    static const SystemClock clock;  // for the Date header; lives as long as the process
    return std::make_unique<EmailAdapter>(std::move(settings.options), clock, settings.fallback_after);
}

}  // namespace

Settings read_settings(Section& s) {
    Settings out;
    Options& o = out.options;
    out.enabled = s.boolean("enabled", false);
    o.host = s.string("host", "", "the SMTP server's host name, such as \"smtp.example.com\"", kLine);
    o.port =
        static_cast<int>(s.integer("port", o.port, 1, 65535, "an integer 1..65535 (587 for starttls, 465 for smtps)"));
    const std::string tls = s.one_of("tls", "starttls", {"starttls", "smtps", "none"});
    o.tls = tls_from_code(tls).value_or(Tls::starttls);
    o.username = s.string("username", "", "the SMTP login (empty: no AUTH)", kLine);
    o.password = s.secret("password", "the SMTP password (a secret; empty: none)", kLine);
    o.from = s.string("from", "", "the sender's address, such as \"followupd@example.com\"", kLine);
    o.from_name = s.string("from_name", "", "the sender's display name, such as \"Follow-ups\"", kLine);
    o.ca_file = s.string("ca_file", "", "the path of a PEM file of trusted CAs (empty: the system's)", kLine);
    o.timeout = std::chrono::seconds(s.integer("timeout_s", o.timeout.count(), 1, 600, "an integer 1..600 (seconds)"));
    o.per_second = static_cast<double>(s.integer("per_second", static_cast<long long>(o.per_second), 1, 100,
                                                 "an integer 1..100 (messages per second)"));
    out.fallback_after = std::chrono::seconds(
        s.integer("fallback_after_s", 0, 0, 86400, "an integer 0..86400 (seconds; 0: no fallback)"));
    s.finish();
    if (!out.enabled) return out;
    s.required_when_enabled("host", o.host.empty(), "the SMTP server's host name, such as \"smtp.example.com\"");
    s.required_when_enabled("from", o.from.empty(), "the sender's address, such as \"followupd@example.com\"");
    if (auto problem = options_problem(o); !problem.empty()) {
        // "email.<key>: what is wrong"; a secret is never shown.
        const auto colon = problem.find(": ");
        const std::string key = problem.substr(0, colon);
        const std::string value = key == "email.host"   ? o.host
                                  : key == "email.tls"  ? tls
                                  : key == "email.from" ? o.from
                                  : key == "email.port" ? std::to_string(o.port)
                                                        : "(not shown)";
        throw config::ConfigError(key, value, colon == std::string::npos ? problem : problem.substr(colon + 2));
    }
    return out;
}

constinit const Registration registration{"email", std::nullopt, validate, make};

}  // namespace fu::adapters::email
