#pragma once
// What a person is told when the database could not be written (a full or
// read-only disk, an I/O error, a lost PostgreSQL connection): that nothing
// was saved, why in a few words, and to try again; not "internal error". The
// transaction was rolled back whole (storage keeps every use case all or
// nothing), so "nothing was changed" is exactly true.
#include <optional>
#include <string_view>

#include "core/model.hpp"
#include "core/text.hpp"
#include "net/http_types.hpp"

namespace fu::server {

// The reply, from the storage error's message (StorageError::what()).
LocalizedText not_saved_text(std::string_view error);

// 503 with Retry-After and {"error": the reply}, in `lang`, or in both
// languages when the person is not known. Logs the error.
net::Response not_saved(const net::Request& req, std::optional<Lang> lang, std::string_view error);

}  // namespace fu::server
