#pragma once
// The command language: one line of chat text -> a Command, in English or Chinese.
// Parsing is syntax only; names and ids are resolved by the Bot.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/ids.hpp"
#include "core/model.hpp"
#include "core/text.hpp"

namespace fu::cmd {

// A customer named in a command: "c12" / "#c12" / "客户12"? -> id; otherwise a name fragment.
struct CustomerRef {
    std::optional<CustomerId> id;
    std::string name;
};

struct Help {
    std::string topic;
};                // help [command]
struct Today {};  // my due and overdue tasks
struct Done {     // done <id> [result…] [sat N] [note] [next <time>]
    TaskId task;
    std::vector<std::string> results;  // result codes (see result_codes())
    std::string note;
    std::optional<std::string> next;  // time expression text, unresolved
    std::optional<int> satisfaction;  // 1..5 ("sat 4", "满意度4")
};
struct Log {  // log <customer> <method> [result…] [sat N] [note] [next <time>]
    CustomerRef customer;
    Method method = Method::call;
    std::vector<std::string> results;
    std::string note;
    std::optional<std::string> next;
    std::optional<int> satisfaction;  // 1..5
};
struct Snooze {  // snooze <id> <time>
    TaskId task;
    std::string when;
};
struct CustomerAdd {  // customer add <name> [key=value …]
    std::string name;
    std::map<std::string, std::string>
        fields;  // canonical keys: company phone email im tier stage source value tags owner
};
struct Followup {  // followup <customer> <time> [method] <topic>
    CustomerRef customer;
    std::string when;
    std::optional<Method> method;
    std::string topic;
};
struct History {
    CustomerRef customer;
};
struct Customers {};  // my customers (manager: team's)
struct WhoAmI {};
struct Team {};       // manager: per-rep figures
struct Overdue {      // manager: team's overdue tasks [of one rep]
    std::string rep;  // handle (without '@') or display name; empty: everyone
};
struct Assign {  // assign <customer> <rep handle>
    CustomerRef customer;
    std::string rep;
};
struct SetLang {
    Lang lang;
};                         // lang en|zh
struct Link {              // admin: link <platform> <platform user id> <user> [notify]
    std::string platform;  // canonical: telegram slack feishu dingtalk wecom
    std::string external_id;
    std::string user;     // handle, without '@'
    bool notify = false;  // also send the user's reminders to this platform
};
struct Unlink {  // admin: unlink <platform> <platform user id>
    std::string platform;
    std::string external_id;
};
struct Status {};    // admin: delivery backlog and counts
struct Reschedule {  // reschedule <id> <time> (改期): moves the due time itself
    TaskId task;
    std::string when;
};
struct Complaint {  // complaint <customer> <text> (投诉)
    CustomerRef customer;
    std::string text;
};
struct Pool {};  // pool (公海): unowned customers, contacts masked
struct Claim {
    CustomerRef customer;
};                // claim <customer> (领取)
struct Release {  // release <customer> [reason] (释放)
    CustomerRef customer;
    std::string reason;
};
struct Handover {  // manager: handover <from handle> <to handle> (交接)
    std::string from;
    std::string to;
};
struct Close {  // close <customer> won|lost [note] (结案 <客户> 成交|丢单 [备注])
    CustomerRef customer;
    Stage outcome = Stage::lost;  // won or lost
    std::string note;
};
struct Digest {};  // digest (日报): today's and overdue follow-ups, now
enum class ReportPeriod { week, month, last_week, last_month };
struct Report {  // manager: report [week|month|last week|last month] (报告 [本周|本月|上周|上月])
    ReportPeriod period = ReportPeriod::week;
};
struct Who {
    CustomerRef customer;
};              // who <customer> (谁负责): owner, team, tier, stage, contacts
struct Audit {  // admin: audit [n] [@user|customer|task:N] (审计)
    int count = 10;
    std::string user;  // handle, without '@'
    std::optional<CustomerRef> customer;
    std::optional<TaskId> task;
};
struct More {};  // more (下一页): the next page of the last long list
struct Find {    // find <words> (查找): customers by name, company, phone digits, tag, tier, stage
    std::vector<std::string> words;   // fragments of a name, company or tag
    std::vector<std::string> digits;  // fragments of a phone number (4 digits or more, digits only)
    std::optional<Tier> tier;         // "A", "VIP", "B类", "tier=b"
    std::optional<Stage> stage;       // "lead", "活跃", "stage=silent"
    std::string query;                // as typed
};

struct Login {};  // login (登录): a one-time link that signs you in to the web chat
struct ParseError {
    LocalizedText message;     // what was wrong
    LocalizedText usage;       // the right form with an example; empty for unknown commands
    std::string_view command;  // the command's name (CommandSpec::name); empty for unknown commands
};

// A parsed command: its arguments, of the type its table entry runs
// (`Handler::type`). Held by type, not listed here: a command whose arguments
// are declared in its own file (core/commands/<name>.cpp) is one of these as
// much as those above.
using TypeId = const void*;
template <class T>
inline constexpr char kTypeTag = 0;  // its address names T, the same in every file
template <class T>
constexpr TypeId type_id() {
    return &kTypeTag<T>;
}

class Command {
public:
    template <class T>
    requires(std::is_class_v<T> && !std::is_same_v<T, Command> && !std::is_same_v<T, ParseError>) Command(T args)
        : type_(type_id<T>()), args_(std::make_shared<const T>(std::move(args))) {}

    template <class T>
    bool is() const {
        return type_ == type_id<T>();
    }
    template <class T>
    const T* get_if() const {
        return is<T>() ? static_cast<const T*>(args_.get()) : nullptr;
    }
    template <class T>
    const T& get() const {
        if (!is<T>()) throw std::bad_variant_access();
        return *static_cast<const T*>(args_.get());
    }
    TypeId type() const { return type_; }

private:
    TypeId type_;
    std::shared_ptr<const void> args_;
};

struct Parsed {
    std::variant<Command, ParseError> result = ParseError{};
    Lang lang = Lang::en;  // language the user wrote in (from the command word)
};

Parsed parse(std::string_view line);

// Result vocabulary: code -> {en, zh} display names. Accepts synonyms when parsing.
struct ResultName {
    std::string_view code, en, zh;
};
const std::vector<ResultName>& result_codes();
std::optional<std::string_view> result_from_word(std::string_view word);

// Chat platforms an account can be linked on: canonical code for a name
// ("telegram", "Slack", "飞书", "企微", …), nullopt if unknown.
std::optional<std::string> platform_from_word(std::string_view word);

// Help text for the commands `role` may use (all of them without one), or for one command
// ("done", "完成"); empty if unknown. Both come from the command table (commands/table.cpp).
LocalizedText help_text(std::string_view topic = {}, std::optional<Role> role = std::nullopt);

}  // namespace fu::cmd
