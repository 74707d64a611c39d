// The e-mail adapter's pure part: addresses, header encoding, quoted-printable,
// the MIME message, and what SMTP results mean. The exchange with a real SMTP
// server is in email_smtp_test.cpp.
#include "adapters/email/email.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace {
using namespace std::chrono_literals;
using fu::Lang;
using fu::MessageKind;
using fu::adapters::Outbound;
using fu::adapters::SendResult;
using ::testing::HasSubstr;
using ::testing::Not;
namespace em = fu::adapters::email;

const fu::TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 20h + 49min + 58s;

em::Options options() {
    em::Options o;
    o.host = "smtp.example.com";
    o.from = "followupd@example.com";
    o.from_name = "Follow-ups";
    return o;
}

Outbound reminder(std::string text, std::string to = "wang@example.com") {
    Outbound out;
    out.recipient = std::move(to);
    out.kind = MessageKind::reminder;
    out.text = std::move(text);
    return out;
}

const std::string kEnReminder =
    "⏰ Follow-up due\n#12 Acme Corp · call: quote · Tue 11-24 10:00\nTier A · active\n"
    "Reply: done 12 <result> [next <time>]";
const std::string kZhReminder = "⏰ 跟进提醒\n#12 华为 · 电话：报价\n回复：完成 12 <结果>";

std::vector<std::string> crlf_lines(const std::string& data) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < data.size()) {
        auto end = data.find("\r\n", pos);
        if (end == std::string::npos) end = data.size();
        lines.push_back(data.substr(pos, end - pos));
        pos = end + 2;
    }
    return lines;
}

std::string header(const std::string& data, const std::string& name) {
    for (const auto& line : crlf_lines(data)) {
        if (line.empty()) break;
        if (line.rfind(name + ": ", 0) == 0) return line.substr(name.size() + 2);
    }
    return {};
}

// ---- addresses and options -----------------------------------------------------------

TEST(EmailAddress, PlainAddressesPassAndHeaderTricksDoNot) {
    EXPECT_TRUE(em::valid_address("wang@example.com"));
    EXPECT_TRUE(em::valid_address("first.last+tag@mail.example.co"));
    EXPECT_FALSE(em::valid_address(""));
    EXPECT_FALSE(em::valid_address("wang"));
    EXPECT_FALSE(em::valid_address("wang@localhost"));
    EXPECT_FALSE(em::valid_address("a@b@example.com"));
    EXPECT_FALSE(em::valid_address("wang@example.com\r\nBcc: all@example.com"));
    EXPECT_FALSE(em::valid_address("wang@example.com>, <other@example.com"));
    EXPECT_FALSE(em::valid_address("wang smith@example.com"));
    EXPECT_FALSE(em::valid_address("wang@exa mple.com"));
    EXPECT_FALSE(em::valid_address(".wang@example.com"));
    EXPECT_EQ(em::domain_of("wang@example.com"), "example.com");
}

TEST(EmailOptions, NoTlsOnlyForAServerOnThisMachine) {
    auto o = options();
    EXPECT_EQ(em::options_problem(o), "");
    o.tls = em::Tls::none;
    EXPECT_THAT(em::options_problem(o), HasSubstr("email.tls"));
    for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost", "::1"}) {
        o.host = host;
        EXPECT_EQ(em::options_problem(o), "") << host;
    }
    o.host = "127.0.0.1.example.com";
    EXPECT_THAT(em::options_problem(o), HasSubstr("email.tls"));
}

TEST(EmailOptions, ProblemsNameTheirKey) {
    auto o = options();
    o.from = "not an address";
    EXPECT_THAT(em::options_problem(o), HasSubstr("email.from"));
    o = options();
    o.host = "";
    EXPECT_THAT(em::options_problem(o), HasSubstr("email.host"));
    o = options();
    o.username = "bot";
    EXPECT_THAT(em::options_problem(o), HasSubstr("email.password"));
    EXPECT_EQ(em::tls_from_code("smtps"), em::Tls::smtps);
    EXPECT_FALSE(em::tls_from_code("ssl"));
}

// ---- encodings -----------------------------------------------------------------------

TEST(EmailHeaders, AsciiStaysAndOtherTextIsEncodedWords) {
    EXPECT_EQ(em::encode_header("Follow-up due: #12 Acme"), "Follow-up due: #12 Acme");
    // 跟进提醒 in UTF-8, base64.
    EXPECT_EQ(em::encode_header("跟进提醒"), "=?UTF-8?B?6Lef6L+b5o+Q6YaS?=");
    // Text that looks like an encoded word is encoded, so it reads as written.
    EXPECT_THAT(em::encode_header("=?UTF-8?B?x?="), HasSubstr("=?UTF-8?B?PT9"));
}

TEST(EmailHeaders, LongTextIsFoldedIntoShortWordsWithoutSplittingACharacter) {
    std::string zh;
    for (int i = 0; i < 60; ++i) zh += "跟";  // 180 bytes
    const auto encoded = em::encode_header(zh, 9);
    const auto lines = crlf_lines(encoded);
    ASSERT_GT(lines.size(), 3u);
    for (const auto& line : lines) {
        EXPECT_LE(line.size(), 76u);
        // Every word holds whole characters: 3-byte characters, so a multiple of 3 bytes (4 base64 characters each).
        const auto b = line.find("?B?") + 3, e = line.rfind("?=");
        EXPECT_EQ((e - b) % 4, 0u) << line;
    }
    for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_EQ(lines[i][0], ' ');  // folded
}

TEST(EmailHeaders, ControlCharactersBecomeSpaces) {
    EXPECT_EQ(em::one_line("Acme\r\nBcc: all@example.com"), "Acme  Bcc: all@example.com");
    EXPECT_EQ(em::encode_header("x\ny"), "x y");
}

TEST(EmailBody, QuotedPrintableKeepsLinesShortAndEncodesWhatMust) {
    EXPECT_EQ(em::quoted_printable("a=b\nline two"), "a=3Db\r\nline two");
    EXPECT_EQ(em::quoted_printable("trailing \nx"), "trailing=20\r\nx");
    EXPECT_EQ(em::quoted_printable("华"), "=E5=8D=8E");
    const auto long_line = em::quoted_printable(std::string(200, 'x') + std::string(30, '\xE5'));
    for (const auto& line : crlf_lines(long_line)) {
        EXPECT_LE(line.size(), 76u);
        // A soft break never cuts an "=XX".
        const auto eq = line.rfind('=');
        if (eq != std::string::npos && eq + 1 != line.size()) {
            EXPECT_EQ(eq + 3, line.size()) << line;
        }
    }
}

TEST(EmailHeaders, DateIsRfc5322InUtc) { EXPECT_EQ(em::rfc5322_date(kNow), "Sun, 06 Dec 2026 20:49:58 +0000"); }

// ---- language and subject -------------------------------------------------------------

TEST(EmailLanguage, FollowsTheFirstLineNotTheCustomersName) {
    EXPECT_EQ(em::text_lang(kEnReminder), Lang::en);
    EXPECT_EQ(em::text_lang(kZhReminder), Lang::zh);
    // An English line naming a Chinese customer stays English.
    EXPECT_EQ(em::text_lang("⚠️ Escalation: 王伟's follow-up is overdue"), Lang::en);
    // A Chinese line naming a long English one stays Chinese.
    EXPECT_EQ(em::text_lang("逾期升级：Alexander Hamilton 的跟进已逾期"), Lang::zh);
}

TEST(EmailSubject, AReminderNamesItsTask) {
    EXPECT_EQ(em::subject(reminder(kEnReminder), Lang::en),
              "Follow-up due: #12 Acme Corp · call: quote · Tue 11-24 10:00");
    EXPECT_EQ(em::subject(reminder(kZhReminder), Lang::zh), "跟进提醒：#12 华为 · 电话：报价");
}

TEST(EmailSubject, OtherKindsUseTheirFirstLineWithoutSymbols) {
    Outbound out = reminder("⏰ 3 follow-ups are due:\n  #1 A\n  #2 B\n  #3 C");
    out.kind = MessageKind::catch_up;
    EXPECT_EQ(em::subject(out, Lang::en), "3 follow-ups are due");
    out.kind = MessageKind::notice;
    out.text = "```\nno table first\n```";
    EXPECT_EQ(em::subject(out, Lang::en), "no table first");
    out.text = "🚨";  // only an emoji
    EXPECT_EQ(em::subject(out, Lang::en), "followupd");
}

TEST(EmailSubject, IsOneLineAndCut) {
    Outbound out = reminder("Long\n" + std::string(400, 'x') + "\r\nBcc: all@example.com");
    const auto s = em::subject(out, Lang::en);
    EXPECT_LE(s.size(), em::kMaxSubjectBytes);
    EXPECT_EQ(s.find_first_of("\r\n"), std::string::npos);
    EXPECT_TRUE(s.ends_with("…"));
}

// ---- bodies ---------------------------------------------------------------------------

TEST(EmailBody, HtmlEscapesKeepsLineBreaksAndShowsTablesAsPre) {
    Outbound out = reminder("Your list <b>:\n```\n#  Name\n1  A&B\n```\nend");
    out.kind = MessageKind::reply;
    const auto html = em::html_body(out, Lang::en);
    EXPECT_THAT(html, HasSubstr("Your list &lt;b&gt;:"));
    EXPECT_THAT(html, HasSubstr("<pre style=\"font-family:monospace\">#  Name\n1  A&amp;B</pre>"));
    EXPECT_THAT(html, HasSubstr("end"));
    EXPECT_THAT(html, Not(HasSubstr("```")));
    EXPECT_THAT(html, Not(HasSubstr("<b>")));
    const auto plain = em::plain_body(out, Lang::en);
    EXPECT_THAT(plain, HasSubstr("#  Name\n1  A&B\nend"));
    EXPECT_THAT(plain, Not(HasSubstr("```")));
}

TEST(EmailBody, ButtonsBecomeCommandsToType) {
    Outbound out = reminder(kZhReminder);
    out.buttons = {{"✅ 完成", "完成 12"}, {"broken", "x\ny"}, {"empty", ""}};
    const auto plain = em::plain_body(out, Lang::zh);
    EXPECT_THAT(plain, HasSubstr("\n  完成 12   (✅ 完成)"));
    EXPECT_THAT(plain, HasSubstr("聊天"));
    EXPECT_THAT(plain, Not(HasSubstr("broken")));
    EXPECT_THAT(plain, Not(HasSubstr("empty")));
    const auto html = em::html_body(out, Lang::zh);
    EXPECT_THAT(html, HasSubstr("<li><code>完成 12</code>"));
    EXPECT_THAT(html, HasSubstr("lang=\"zh\""));
}

// ---- the message ----------------------------------------------------------------------

TEST(EmailMessage, HasTheHeadersAndTwoQuotedPrintableParts) {
    Outbound out = reminder(kEnReminder);
    out.buttons = {{"Done", "done 12"}};
    const auto r = em::render(out, options(), kNow, "1765054198.1.abc");
    ASSERT_TRUE(r.message) << r.problem;
    const auto& d = r.message->data;
    EXPECT_EQ(r.message->to, "wang@example.com");
    EXPECT_EQ(r.message->message_id, "<1765054198.1.abc@example.com>");
    EXPECT_EQ(header(d, "From"), "Follow-ups <followupd@example.com>");
    EXPECT_EQ(header(d, "To"), "<wang@example.com>");
    // "Follow-up due: " is the first 15 bytes: 20 base64 characters of the first encoded word.
    EXPECT_THAT(header(d, "Subject"), ::testing::StartsWith("=?UTF-8?B?Rm9sbG93LXVwIGR1ZTog"));
    EXPECT_EQ(header(d, "Date"), "Sun, 06 Dec 2026 20:49:58 +0000");
    EXPECT_EQ(header(d, "Message-ID"), "<1765054198.1.abc@example.com>");
    EXPECT_EQ(header(d, "MIME-Version"), "1.0");
    EXPECT_EQ(header(d, "Content-Type"), "multipart/alternative; boundary=\"=_fu_1765054198.1.abc\"");
    EXPECT_THAT(d, HasSubstr("--=_fu_1765054198.1.abc\r\nContent-Type: text/plain; charset=utf-8\r\n"
                             "Content-Transfer-Encoding: quoted-printable\r\n\r\n"));
    EXPECT_THAT(d, HasSubstr("--=_fu_1765054198.1.abc\r\nContent-Type: text/html; charset=utf-8\r\n"));
    EXPECT_TRUE(d.ends_with("--=_fu_1765054198.1.abc--\r\n"));
    for (const auto& line : crlf_lines(d)) {
        EXPECT_LE(line.size(), em::kMaxLine);
        EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "a bare CR or LF";
    }
    EXPECT_EQ(header(d, "In-Reply-To"), "");
}

TEST(EmailMessage, NonAsciiSenderNameIsEncoded) {
    auto o = options();
    o.from_name = "跟进助手";
    auto r = em::render(reminder(kZhReminder), o, kNow, "u1");
    ASSERT_TRUE(r.message);
    EXPECT_EQ(header(r.message->data, "From"), "=?UTF-8?B?6Lef6L+b5Yqp5omL?= <followupd@example.com>");
    o.from_name = "Sales, East";  // a special: encoded rather than quoted
    r = em::render(reminder(kEnReminder), o, kNow, "u1");
    EXPECT_EQ(header(r.message->data, "From"), "=?UTF-8?B?U2FsZXMsIEVhc3Q=?= <followupd@example.com>");
}

TEST(EmailMessage, HeaderInjectionIsRefusedOrNeutralised) {
    // A recipient with a line break is not an address: nothing is sent.
    auto r = em::render(reminder(kEnReminder, "wang@example.com\r\nBcc: all@example.com"), options(), kNow, "u1");
    EXPECT_FALSE(r.message);
    EXPECT_THAT(r.problem, HasSubstr("not an e-mail address"));
    // Free text with line breaks stays on its header's line.
    auto o = options();
    o.from_name = "Bot\r\nBcc: all@example.com";
    r = em::render(reminder("Hi\r\nBcc: all@example.com\nline"), o, kNow, "u1");
    ASSERT_TRUE(r.message);
    EXPECT_EQ(header(r.message->data, "Bcc"), "");
    // A replace_ref that is not a message id is left out.
    Outbound edit = reminder(kEnReminder);
    edit.replace_ref = "<a@b>\r\nBcc: all@example.com";
    r = em::render(edit, options(), kNow, "u1");
    ASSERT_TRUE(r.message);
    EXPECT_EQ(header(r.message->data, "In-Reply-To"), "");
    EXPECT_EQ(header(r.message->data, "Bcc"), "");
}

TEST(EmailMessage, AnEditIsANewMessageInTheSameThread) {
    Outbound edit = reminder(kEnReminder);
    edit.replace_ref = "<1.1.abc@example.com>";
    const auto r = em::render(edit, options(), kNow, "u2");
    ASSERT_TRUE(r.message);
    EXPECT_EQ(header(r.message->data, "In-Reply-To"), "<1.1.abc@example.com>");
    EXPECT_EQ(r.message->message_id, "<u2@example.com>");
}

TEST(EmailMessage, ChatIdWinsOverRecipient) {
    Outbound out = reminder(kEnReminder, "wang@example.com");
    out.chat_id = "team@example.com";
    const auto r = em::render(out, options(), kNow, "u3");
    ASSERT_TRUE(r.message);
    EXPECT_EQ(r.message->to, "team@example.com");
}

// ---- SMTP results ---------------------------------------------------------------------

TEST(EmailResult, TransientRepliesAndLostConnectionsAreRetried) {
    using K = em::SmtpOutcome::Kind;
    EXPECT_EQ(em::interpret({K::ok, 0, ""}, "<m@x>").status, SendResult::Status::sent);
    EXPECT_EQ(em::interpret({K::ok, 0, ""}, "<m@x>").message_ref, "<m@x>");
    EXPECT_EQ(em::interpret({K::transport, 0, "connection refused"}, "").status, SendResult::Status::retry);
    const auto busy = em::interpret({K::refused, 451, "451 4.3.0 try later"}, "");
    EXPECT_EQ(busy.status, SendResult::Status::retry);
    EXPECT_THAT(busy.error, HasSubstr("451 4.3.0 try later"));
    EXPECT_EQ(em::interpret({K::refused, 452, ""}, "").status, SendResult::Status::retry);
    EXPECT_EQ(em::interpret({K::refused, 552, ""}, "").status, SendResult::Status::retry);
}

TEST(EmailResult, PermanentRepliesAndOurOwnMistakesFail) {
    using K = em::SmtpOutcome::Kind;
    const auto unknown = em::interpret({K::refused, 550, "550 5.1.1 no such user"}, "");
    EXPECT_EQ(unknown.status, SendResult::Status::failed);
    EXPECT_THAT(unknown.error, HasSubstr("550 5.1.1 no such user"));
    EXPECT_EQ(em::interpret({K::refused, 535, "auth"}, "").status, SendResult::Status::failed);
    EXPECT_EQ(em::interpret({K::local, 0, "bad URL"}, "").status, SendResult::Status::failed);
}

}  // namespace
