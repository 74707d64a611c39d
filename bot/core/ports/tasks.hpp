#pragma once
// Storage port: follow-up tasks, the reminders and ladder steps they fall due
// for, and the recurring per-user jobs.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu {

// The assignees whose id is `index` modulo `count`: the reminders due are
// fired in parts side by side (one per storage lane), each rep's in one.
struct AssigneePart {
    std::uint32_t index = 0;
    std::uint32_t count = 1;
};

class TaskStore {
public:
    virtual ~TaskStore() = default;

    // Tasks
    virtual TaskId add_task(const Task&) = 0;
    virtual void update_task(const Task&) = 0;
    virtual std::optional<Task> task(TaskId) = 0;
    // Open or snoozed tasks of one assignee due before `before`, earliest first.
    virtual std::vector<Task> open_tasks_for(UserId assignee, TimePoint before) = 0;
    // Open or snoozed tasks of every member of a team due before `before`, earliest first.
    virtual std::vector<Task> open_tasks_for_team(TeamId, TimePoint before) = 0;
    virtual std::vector<Task> open_tasks_for_customer(CustomerId) = 0;
    // Recent tasks of a customer in any status, newest due first.
    virtual std::vector<Task> tasks_for_customer(CustomerId, std::size_t limit) = 0;
    // The earliest pending reminder (an indexed MIN, never a scan).
    virtual std::optional<TimePoint> next_reminder_at() = 0;
    // Tasks whose reminder is due at or before `now`, earliest first, of the
    // assignees in `part` (all with {0, 1}).
    virtual std::vector<Task> reminders_due(TimePoint now, std::size_t limit, AssigneePart part) = 0;

    // Recurring per-user jobs (digests, weekly reports).
    virtual void set_schedule(const Schedule&) = 0;  // insert or replace by (user, kind)
    virtual std::optional<Schedule> schedule(UserId, std::string_view kind) = 0;
    virtual std::optional<TimePoint> next_schedule_at() = 0;                            // indexed MIN
    virtual std::vector<Schedule> schedules_due(TimePoint now, std::size_t limit) = 0;  // earliest first

    // @api: the REST API
    // Tasks in id order after `after`, filtered: of customers in a team's scope,
    // in one of `statuses` (empty: any), of one assignee, of one customer.
    struct TaskQuery {
        std::optional<TeamId> team;
        std::vector<TaskStatus> statuses;
        std::optional<UserId> assignee;
        std::optional<CustomerId> customer;
        std::optional<TaskId> after;
        std::size_t limit = 50;
    };
    virtual std::vector<Task> list_tasks(const TaskQuery&) = 0;
    // @end-api
};

}  // namespace fu
