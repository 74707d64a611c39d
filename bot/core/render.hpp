#pragma once
// How the bot writes things, in English and Chinese.
#include <string>
#include <string_view>
#include <vector>

#include "core/command.hpp"
#include "core/model.hpp"

namespace date {
class time_zone;
}

namespace fu::render {

const date::time_zone* zone_of(const User&);  // falls back to UTC for an unknown zone

// "Tue 11-24 10:00" / "11月24日 周二 10:00"; adds the year when it is not the current one.
std::string when(TimePoint t, TimePoint now, const date::time_zone* zone, Lang lang);
// "2h late" / "逾期2小时"
std::string lateness(TimePoint due, TimePoint now, Lang lang);
std::string_view tier(Tier, Lang);
std::string_view stage(Stage, Lang);
std::string_view method(Method, Lang);
std::string results(const std::vector<std::string>& codes, Lang);
std::string role(Role, Lang);
// "#12 Acme Corp · call: quote · Tue 11-24 10:00"
std::string task_line(const Task&, const Customer&, TimePoint now, const date::time_zone*, Lang);
// Buttons of a reminder, written as commands in the recipient's language.
std::vector<Button> reminder_buttons(TaskId, Lang);
std::string mask_phone(std::string_view phone);

}  // namespace fu::render
