#pragma once
// A migration step both engines run: automatic follow-up topics that earlier
// versions stored already worded, in the language of whoever's action made
// them ("A (VIP): every 7 days", "B类：每14天"), become their codes
// ("auto:tier:A:7"), worded for each reader when shown (core/topics.hpp).
// Topics people typed are left as they are.
#include <cstdint>

#include "storage/sql/statement.hpp"

namespace fu::storage {

// select: sql::kSelectWordedTopics; update: sql::kUpdateTaskTopic. Returns the rows changed.
std::int64_t code_worded_topics(SqlStatement& select, SqlStatement& update);

}  // namespace fu::storage
