#pragma once
// CSV text in and out: decoding (UTF-8, UTF-8 with BOM, GBK/GB18030),
// parsing with libcsv into records with their spreadsheet row numbers,
// RFC 4180 writing, and the date-time forms a spreadsheet uses.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/utf8.hpp"

namespace date {
class time_zone;
}

namespace fu::data::csv {

struct Decoded {
    std::string text;      // UTF-8, without a BOM
    std::string encoding;  // "utf-8", "utf-8-bom", "gbk"; empty: undecodable
};
using fu::valid_utf8;
// UTF-8 (BOM or not) as it is; anything else is decoded as GB18030 (a
// superset of GBK and GB2312) with iconv. Fails (empty encoding) when neither fits.
Decoded decode(std::string_view bytes);

struct Record {
    std::size_t row = 0;  // spreadsheet row: the n-th record is row n
    std::vector<std::string> cells;
};
struct Parsed {
    std::vector<Record> records;
    // Broken CSV (a stray or unterminated quote): parsing stops there.
    std::optional<std::size_t> error_row;
    bool unterminated = false;  // the error is a quote still open at the end
};
Parsed parse(std::string_view utf8);

// RFC 4180: a field with a comma, quote, line break or edge space is quoted,
// quotes doubled; records end with CRLF. A field that a spreadsheet would take
// for a formula (it starts with = + - @, a tab or a carriage return) is written
// with a ' before it, which spreadsheets show as text (OWASP "CSV injection").
void append_field(std::string& out, std::string_view field);
// A cell read back: the ' that append_field put before such a field is removed.
std::string unguard(std::string cell);
void append_record(std::string& out, const std::vector<std::string>& fields);

// "2026-11-25", "2026/11/25 15:00", "2026-11-25T15:00:00", "2026年11月25日 15:00",
// optionally ending with "Z" or an offset ("+08:00", "+0800"). Without an
// offset the time is local to `zone`; a date alone means `default_minute`
// (minutes after local midnight).
std::optional<TimePoint> parse_time(std::string_view text, const date::time_zone* zone, int default_minute);
// ISO 8601 in `zone` with its offset: "2026-11-23T10:00:00+08:00".
std::string iso_time(TimePoint, const date::time_zone* zone);

std::string trim(std::string_view);
// ASCII lower case; other bytes as they are.
std::string lower(std::string_view);
// FNV-1a 64 as 16 lower-case hex digits.
std::string fnv1a_hex(std::string_view);

}  // namespace fu::data::csv
