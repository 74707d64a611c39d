#pragma once
// Renders a parsed command as one canonical line, so table-driven tests can assert
// every field at once.
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/command.hpp"
#include "core/commands/table.hpp"

namespace fu::testing {

inline std::string ref(const cmd::CustomerRef& r) {
    return r.id ? "#" + std::to_string(r.id->value) : "'" + r.name + "'";
}

inline std::string list(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + v[i];
    return out + "]";
}

inline std::string next(const std::optional<std::string>& n) { return n ? "'" + *n + "'" : "-"; }

inline std::string sat(const std::optional<int>& s) { return s ? " sat=" + std::to_string(*s) : ""; }

inline std::string outcome(Stage s) {
    return s == Stage::won ? "won" : s == Stage::lost ? "lost" : "stage=" + std::string(code(s));
}

inline std::string period(cmd::ReportPeriod p) {
    switch (p) {
        case cmd::ReportPeriod::week: return "week";
        case cmd::ReportPeriod::month: return "month";
        case cmd::ReportPeriod::last_week: return "last_week";
        case cmd::ReportPeriod::last_month: return "last_month";
    }
    return "?";
}

template <class>
inline constexpr bool kNotDescribed = false;

// The kinds of command whose arguments the tests read (core/command.hpp). A command in
// a file of its own keeps its arguments there: described by its name.
using Described =
    std::tuple<cmd::Help, cmd::Today, cmd::Done, cmd::Log, cmd::Snooze, cmd::CustomerAdd, cmd::Followup, cmd::History,
               cmd::Customers, cmd::WhoAmI, cmd::Team, cmd::Overdue, cmd::Assign, cmd::SetLang, cmd::Link, cmd::Unlink,
               cmd::Status, cmd::Reschedule, cmd::Complaint, cmd::Pool, cmd::Claim, cmd::Release, cmd::Handover,
               cmd::Close, cmd::Digest, cmd::Report, cmd::Who, cmd::Audit, cmd::More, cmd::Find, cmd::Login>;

template <std::size_t... I>
std::vector<cmd::TypeId> described_types(std::index_sequence<I...>) {
    return {cmd::type_id<std::tuple_element_t<I, Described>>()...};
}
inline std::vector<cmd::TypeId> described_types() {
    return described_types(std::make_index_sequence<std::tuple_size_v<Described>>{});
}

inline std::string describe_args(const auto& x) {
    using T = std::decay_t<decltype(x)>;
    if constexpr (std::is_same_v<T, cmd::Help>)
        return "help topic='" + x.topic + "'";
    else if constexpr (std::is_same_v<T, cmd::Today>)
        return "today";
    else if constexpr (std::is_same_v<T, cmd::Done>)
        return "done " + std::to_string(x.task.value) + " " + list(x.results) + sat(x.satisfaction) + " note='" +
               x.note + "' next=" + next(x.next);
    else if constexpr (std::is_same_v<T, cmd::Log>)
        return "log " + ref(x.customer) + " " + std::string(code(x.method)) + " " + list(x.results) +
               sat(x.satisfaction) + " note='" + x.note + "' next=" + next(x.next);
    else if constexpr (std::is_same_v<T, cmd::Snooze>)
        return "snooze " + std::to_string(x.task.value) + " '" + x.when + "'";
    else if constexpr (std::is_same_v<T, cmd::CustomerAdd>) {
        std::string out = "customer_add '" + x.name + "'";
        for (const auto& [k, v] : x.fields) out += " " + k + "=" + v;
        return out;
    } else if constexpr (std::is_same_v<T, cmd::Followup>)
        return "followup " + ref(x.customer) + " '" + x.when + "' " +
               (x.method ? std::string(code(*x.method)) : std::string("-")) + " '" + x.topic + "'";
    else if constexpr (std::is_same_v<T, cmd::History>)
        return "history " + ref(x.customer);
    else if constexpr (std::is_same_v<T, cmd::Customers>)
        return "customers";
    else if constexpr (std::is_same_v<T, cmd::WhoAmI>)
        return "whoami";
    else if constexpr (std::is_same_v<T, cmd::Login>)
        return "login";
    else if constexpr (std::is_same_v<T, cmd::Team>)
        return "team";
    else if constexpr (std::is_same_v<T, cmd::Overdue>)
        return x.rep.empty() ? std::string("overdue") : "overdue '" + x.rep + "'";
    else if constexpr (std::is_same_v<T, cmd::Assign>)
        return "assign " + ref(x.customer) + " @" + x.rep;
    else if constexpr (std::is_same_v<T, cmd::SetLang>)
        return "lang " + std::string(code(x.lang));
    else if constexpr (std::is_same_v<T, cmd::Link>)
        return "link " + x.platform + " '" + x.external_id + "' @" + x.user + (x.notify ? " notify" : "");
    else if constexpr (std::is_same_v<T, cmd::Unlink>)
        return "unlink " + x.platform + " '" + x.external_id + "'";
    else if constexpr (std::is_same_v<T, cmd::Status>)
        return "status";
    else if constexpr (std::is_same_v<T, cmd::Reschedule>)
        return "reschedule " + std::to_string(x.task.value) + " '" + x.when + "'";
    else if constexpr (std::is_same_v<T, cmd::Complaint>)
        return "complaint " + ref(x.customer) + " '" + x.text + "'";
    else if constexpr (std::is_same_v<T, cmd::Pool>)
        return "pool";
    else if constexpr (std::is_same_v<T, cmd::Claim>)
        return "claim " + ref(x.customer);
    else if constexpr (std::is_same_v<T, cmd::Release>)
        return "release " + ref(x.customer) + " reason='" + x.reason + "'";
    else if constexpr (std::is_same_v<T, cmd::Handover>)
        return "handover @" + x.from + " @" + x.to;
    else if constexpr (std::is_same_v<T, cmd::Close>)
        return "close " + ref(x.customer) + " " + outcome(x.outcome) + " note='" + x.note + "'";
    else if constexpr (std::is_same_v<T, cmd::Digest>)
        return "digest";
    else if constexpr (std::is_same_v<T, cmd::Report>)
        return "report " + period(x.period);
    else if constexpr (std::is_same_v<T, cmd::Who>)
        return "who " + ref(x.customer);
    else if constexpr (std::is_same_v<T, cmd::Audit>) {
        std::string out = "audit " + std::to_string(x.count);
        if (!x.user.empty()) out += " @" + x.user;
        if (x.customer) out += " customer=" + ref(*x.customer);
        if (x.task) out += " task=" + std::to_string(x.task->value);
        return out;
    } else if constexpr (std::is_same_v<T, cmd::More>)
        return "more";
    else if constexpr (std::is_same_v<T, cmd::Find>)
        return "find " + list(x.words) + " digits=" + list(x.digits) +
               (x.tier ? " tier=" + std::string(code(*x.tier)) : "") +
               (x.stage ? " stage=" + std::string(code(*x.stage)) : "");
    else
        static_assert(kNotDescribed<T>, "describe() needs a line for every kind in Described");
}

template <std::size_t I = 0>
std::string describe(const cmd::Command& c) {
    if constexpr (I == std::tuple_size_v<Described>) {
        return std::string(cmd::spec_of(c).name());
    } else {
        if (const auto* x = c.get_if<std::tuple_element_t<I, Described>>()) return describe_args(*x);
        return describe<I + 1>(c);
    }
}

inline std::string describe(const cmd::Parsed& p) {
    std::string lang = p.lang == Lang::zh ? "zh: " : "en: ";
    if (auto* e = std::get_if<cmd::ParseError>(&p.result)) return lang + "error: " + e->message.en;
    return lang + describe(std::get<cmd::Command>(p.result));
}

}  // namespace fu::testing
