#pragma once
// Automatic follow-up topics are stored as what they mean, a code with its
// numbers ("auto:tier:B:14"), and worded in the reader's language when shown:
// a Chinese rep reads "B类：每14天" where an English one reads "B: every 14 days",
// whoever's action made the follow-up. Topics people type are kept as typed.
#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace fu::topics {

// The codes, as stored (tasks.topic).
std::string first_response(int hours);  // a new lead: first response within `hours` working hours
std::string lead(int days);             // a lead: every `days` days
std::string revisit(int days);          // a new customer: revisit `days` days after the deal
std::string tier(Tier, int days);       // an active customer of its tier: every `days` days
std::string silent(int days);           // a silent customer: wake-up every `days` days
std::string churn_risk(int days);       // a customer at risk: every `days` days
std::string imported();                 // a follow-up an import made without a topic
// The same code, its interval tightened to `days` after a complaint or a low score.
std::string tightened(std::string code, int days);

// A stored topic as `lang` reads it: a code worded; any other text as it is.
std::string text(std::string_view stored, Lang lang);
// Whether a stored topic is a code.
bool is_code(std::string_view stored);

// The code of a topic an earlier version stored already worded, in English or
// Chinese ("A (VIP): every 7 days", "B类：每14天"); nullopt if it is not one of them.
std::optional<std::string> code_of(std::string_view worded);

}  // namespace fu::topics
