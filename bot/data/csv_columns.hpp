#pragma once
// The columns of a customer file: what the importer accepts (Chinese and
// English headers with their synonyms) and what the exporter writes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu::data::columns {

enum class Col {
    name,
    company,
    phone,
    email,
    im,
    owner,
    tier,
    stage,
    source,
    value,
    tags,
    next_followup,
    topic,
    external_id,
    customer_id,  // the service's own id ("c42"), as exported: matches when no external id does
    read_only,    // exported for reading (team, last contact, created): accepted and ignored
};

struct Spec {
    Col col;
    std::string_view en, zh;              // the header the exporter writes
    std::vector<std::string_view> names;  // accepted, normalized (see normalize)
};

const std::vector<Spec>& specs();
// Lower case, without spaces, '_', '-', '*' and a trailing "(…)"/"（…）" note:
// "Next follow-up" -> "nextfollowup", "金额（元）" -> "金额".
std::string normalize(std::string_view header);
std::optional<Col> find(std::string_view header);
// "客户名称/name, 公司/company, …" for messages.
std::string known_list();

std::optional<Tier> parse_tier(std::string_view);
std::optional<Stage> parse_stage(std::string_view);
// "50000", "1,000", "¥1,000.00", "5万"; nullopt for anything else or a negative.
std::optional<std::int64_t> parse_value(std::string_view);
// Split on , ， ; ； 、 and trimmed; empty parts dropped.
std::vector<std::string> split_tags(std::string_view);

}  // namespace fu::data::columns
