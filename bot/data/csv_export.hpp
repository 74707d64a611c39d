#pragma once
// CSV export of customers, follow-up tasks and interactions (see docs/CSV.md).
#include <optional>
#include <stdexcept>
#include <string>

#include "core/clock.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace fu::data {

enum class ExportKind { customers, tasks, interactions };

struct ExportOptions {
    Lang headers = Lang::en;  // zh: Chinese headers and values, which the importer accepts back
};

// The actor may not export that scope: a rep, a manager asking for another
// team or everything, an unknown user.
struct ExportRefused : std::runtime_error {
    ExportRefused(std::string en, std::string zh)
        : std::runtime_error(en), message_en(std::move(en)), message_zh(std::move(zh)) {}
    std::string message_en, message_zh;
};

// CSV text (UTF-8 with BOM so spreadsheets open Chinese correctly), scoped to a
// team or everything; records an "data.export" audit entry by `actor`.
// Times are ISO 8601 in the exporter's time zone with its offset
// ("2026-11-23T10:00:00+08:00"). Throws ExportRefused.
std::string export_csv(Store&, ExportKind, std::optional<TeamId> scope, UserId actor, TimePoint now);
std::string export_csv(Store&, ExportKind, std::optional<TeamId> scope, UserId actor, TimePoint now,
                       const ExportOptions&);

std::string_view code(ExportKind);  // "customers", "tasks", "interactions"

}  // namespace fu::data
