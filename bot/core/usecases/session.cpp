#include "core/usecases/session.hpp"

#include "core/bot_internal.hpp"

namespace fu::uc {

const char* Refused::describe(Why why) {
    switch (why) {
        case Why::already_done: return "the follow-up is already done";
        case Why::cancelled: return "the follow-up was cancelled";
        case Why::not_in_future: return "the time is not in the future";
        case Why::complaint_unresolved: return "a complaint stays open until its resolution is recorded";
        case Why::past_reclaim: return "the customer goes back to the public pool before that time";
    }
    return "refused";
}

void audit(Session& s, std::string action, std::string subject, std::string detail) {
    if (!s.audit_note.empty()) detail += (detail.empty() ? "" : " · ") + s.audit_note;
    s.repo.append_audit(AuditEntry{{}, s.now, s.actor.id, std::move(action), std::move(subject), std::move(detail)});
}

void tell(Session& s, const User& to, std::string text, std::vector<TaskId> tasks) {
    if (to.id == s.actor.id || s.via == Via::import) return;
    detail::deliver(s.repo, to,
                    OutboxMessage{{}, to.id, s.now, MessageKind::notice, std::move(text), {}, std::move(tasks)});
    s.notified.push_back(to.id);
}

}  // namespace fu::uc
