#pragma once
// CSV import of customers and their next follow-ups (see docs/CSV.md).
// The whole file is validated first; if any cell is wrong nothing is written
// (nothing is ever half-imported). Otherwise rows are applied in batches, one
// transaction each. Rows are matched by external id, so importing the same
// file again changes nothing.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bot.hpp"
#include "core/clock.hpp"
#include "core/model.hpp"
#include "core/store.hpp"

namespace fu::data {

// One thing wrong with the file. row: spreadsheet row number (the header is
// row 1; a record with a line break inside a quoted cell is still one row);
// 0: the file as a whole. column: the header as written in the file; empty
// when the problem is not about one cell.
struct ImportProblem {
    std::size_t row = 0;
    std::string column;
    std::string message_en, message_zh;
};

struct ImportOptions {
    bool dry_run = false;
    UserId actor;             // who imports (audited); a manager imports into their team, an admin anywhere
    std::size_t batch = 500;  // rows per transaction
    std::function<void(std::size_t done, std::size_t total)> progress;  // may be empty
};

struct ImportResult {
    std::string encoding;  // "utf-8", "utf-8-bom", "gbk"
    std::size_t rows = 0, created = 0, updated = 0, unchanged = 0, followups = 0;
    std::vector<ImportProblem> problems;  // non-empty: nothing was written
    bool applied = false;
};

// A dry run validates and works out the counts in a transaction that is
// rolled back: it changes nothing, not even the audit log.
ImportResult import_customers(Store&, const BotOptions&, TimePoint now, std::string_view file_bytes,
                              const ImportOptions&);

}  // namespace fu::data
