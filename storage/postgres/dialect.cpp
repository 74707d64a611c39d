#include "storage/postgres/dialect.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_map>

#include "storage/sql/queries.hpp"

namespace fu::storage::pg {
namespace {

// Statements whose shared form means something else here.
const std::unordered_map<std::string_view, std::string>& replaced() {
    // Several instances may share the database: what is due is claimed by
    // the transaction that fires it (and writes its messages), and rows
    // another instance's transaction holds are left to it, so each fires
    // once. (SQLite has one writer: its shared form is already exclusive.)
    const auto claimed = [](std::string_view select) { return std::string(select) + " FOR UPDATE SKIP LOCKED"; };
    // A retention batch takes the rows no other instance is pruning (or
    // writing) at the moment: two pruners never wait on each other.
    const auto skip_locked = [](std::string_view prune) {
        return std::string(prune.substr(0, prune.size() - 1)) + " FOR UPDATE SKIP LOCKED)";
    };
    static const std::unordered_map<std::string_view, std::string> all{
        // users.handle is NOCASE in SQLite; here its unique index is on lower(handle).
        {sql::kSelectUserByHandle,
         "SELECT id, handle, display_name, role, team_id, time_zone, lang, work_start_minute, work_end_minute, "
         "work_days, notify_platform FROM users WHERE lower(handle) = lower(?)"},
        {sql::kSelectRemindersDue, claimed(sql::kSelectRemindersDue)},
        {sql::kSelectRemindersDueOfPart, claimed(sql::kSelectRemindersDueOfPart)},
        {sql::kSelectSchedulesDue, claimed(sql::kSelectSchedulesDue)},
        // Late deliveries are reported (and copied to the fallback) by one instance.
        {sql::kSelectDeliveriesPendingSince, claimed(sql::kSelectDeliveriesPendingSince)},
        {sql::kPruneSeenEvents, skip_locked(sql::kPruneSeenEvents)},
        {sql::kPruneOutbox, skip_locked(sql::kPruneOutbox)},
        {sql::kPruneAudit, skip_locked(sql::kPruneAudit)},
        {sql::kPruneWebSessions, skip_locked(sql::kPruneWebSessions)},
        // No key, no rowid: the row's physical address, good within one statement.
        {sql::kPruneSignInSecrets,
         "DELETE FROM sign_in_secrets WHERE ctid = ANY(ARRAY(SELECT ctid FROM sign_in_secrets WHERE expires_at < ?1 "
         "ORDER BY expires_at LIMIT ?2 FOR UPDATE SKIP LOCKED))"},
    };
    return all;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool same_word(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
           });
}

class Translator {
public:
    explicit Translator(std::string_view in) : in_(in) {}

    Translated run() {
        while (i_ < in_.size()) {
            const char c = in_[i_];
            if (c == '\'' || c == '"') {
                quoted(c);
            } else if (c == '-' && peek(1) == '-') {
                const auto end = in_.find('\n', i_);
                copy_to(end == std::string_view::npos ? in_.size() : end);
            } else if (c == '?') {
                ++i_;
                if (i_ < in_.size() && std::isdigit(static_cast<unsigned char>(in_[i_]))) {
                    int n = 0;
                    while (i_ < in_.size() && std::isdigit(static_cast<unsigned char>(in_[i_])))
                        n = n * 10 + (in_[i_++] - '0');
                    emit_param(n);
                } else {
                    emit_param(highest_ + 1);
                }
            } else if (c == ':' && peek(1) == ':') {
                out_ += "::";
                i_ += 2;
            } else if (c == ':' && (std::isalpha(static_cast<unsigned char>(peek(1))) || peek(1) == '_')) {
                const auto start = ++i_;
                while (i_ < in_.size() && word_char(in_[i_])) ++i_;
                const std::string name(in_.substr(start, i_ - start));
                auto [it, fresh] = named_.try_emplace(name, highest_ + 1);
                emit_param(it->second);
            } else if (word_char(c) && (out_.empty() || !word_char(out_.back()))) {
                word();
            } else {
                out_ += c;
                ++i_;
            }
        }
        std::vector<bool> used(static_cast<std::size_t>(highest_), false);
        for (int n : seen_) used[static_cast<std::size_t>(n - 1)] = true;
        return {out_, highest_, used};
    }

private:
    char peek(std::size_t ahead) const { return i_ + ahead < in_.size() ? in_[i_ + ahead] : '\0'; }

    void copy_to(std::size_t end) {
        out_.append(in_.substr(i_, end - i_));
        i_ = end;
    }

    void quoted(char quote) {
        auto end = i_ + 1;
        while (end < in_.size() && in_[end] != quote) ++end;
        copy_to(std::min(end + 1, in_.size()));  // a doubled quote is two quoted runs: the same text
    }

    void emit_param(int n) {
        highest_ = std::max(highest_, n);
        seen_.push_back(n);
        out_ += '$';
        out_ += std::to_string(n);
    }

    std::string_view next_word(std::size_t from, std::size_t* end) const {
        while (from < in_.size() && std::isspace(static_cast<unsigned char>(in_[from]))) ++from;
        auto to = from;
        while (to < in_.size() && word_char(in_[to])) ++to;
        *end = to;
        return in_.substr(from, to - from);
    }

    void word() {
        std::size_t end = 0;
        const auto w = next_word(i_, &end);
        std::size_t after = 0;
        if (same_word(w, "INDEXED") && same_word(next_word(end, &after), "BY")) {
            next_word(after, &i_);  // the index's name goes too
            while (!out_.empty() && out_.back() == ' ') out_.pop_back();
            return;
        }
        if (same_word(w, "CROSS") && same_word(next_word(end, &after), "JOIN")) {
            out_ += "JOIN";
            i_ = after;
            return;
        }
        copy_to(end);
    }

    std::string_view in_;
    std::size_t i_ = 0;
    std::string out_;
    int highest_ = 0;
    std::vector<int> seen_;
    std::map<std::string, int> named_;
};

}  // namespace

Translated to_postgres(std::string_view shared_sql) {
    if (auto it = replaced().find(shared_sql); it != replaced().end()) shared_sql = it->second;
    return Translator(shared_sql).run();
}

}  // namespace fu::storage::pg
