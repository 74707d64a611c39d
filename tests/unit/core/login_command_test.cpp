// `login` (登录): a one-time sign-in link for the web chat, only in a direct chat.
#include <gmock/gmock.h>

#include "fixture.hpp"

namespace fu::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct LoginWorld : World {
    static BotOptions with_links(std::vector<std::string>* issued) {
        BotOptions o = quiet();
        o.sign_in_link = [issued](Repo& repo, const User& u, TimePoint now) {
            // As the server's does: something stored in the command's transaction.
            repo.append_audit(AuditEntry{{}, now, u.id, "signin.link", "user:" + std::to_string(u.id.value), ""});
            issued->push_back(u.handle);
            return "https://fu.example.com/#sign-in=T" + std::to_string(issued->size());
        };
        return o;
    }
    LoginWorld() : World(":memory:", with_links(&issued)) {}
    std::vector<std::string> issued;
};

TEST(LoginCommand, RepliesWithALinkForTheAsker) {
    LoginWorld w;
    const auto reply = w.say("maria", "login");
    EXPECT_THAT(reply, HasSubstr("https://fu.example.com/#sign-in=T1"));
    EXPECT_THAT(reply, HasSubstr("maria"));
    EXPECT_EQ(w.issued, std::vector<std::string>{"maria"});
    EXPECT_THAT(w.say("wang", "登录"), HasSubstr("#sign-in=T2"));
    EXPECT_THAT(w.say("wang", "登录"), HasSubstr("登录网页聊天"));
}

TEST(LoginCommand, NeverIntoAGroupChat) {
    LoginWorld w;
    w.store->transact([&](Repo& r) { r.link_identity(Identity{"telegram", "555", w.maria, ""}); });
    w.bot->handle_platform(Inbound{"telegram", "g1", "555", "-100200", false, "login", false, ""});
    EXPECT_TRUE(w.issued.empty());
    std::vector<Delivery> due;
    w.store->transact([&](Repo& r) { due = r.deliveries_due("telegram", w.clock.now(), 10); });
    ASSERT_EQ(due.size(), 1u);
    std::string text;
    w.store->transact([&](Repo& r) { text = r.message(due[0].message)->text; });
    EXPECT_THAT(text, HasSubstr("direct chat"));
    EXPECT_THAT(text, Not(HasSubstr("#sign-in=")));
}

TEST(LoginCommand, WithoutWebSignInSaysSo) {
    World w;  // no sign_in_link: the demo's pick mode
    EXPECT_THAT(w.say("maria", "login"), HasSubstr("no sign-in"));
}

}  // namespace
}  // namespace fu::test
