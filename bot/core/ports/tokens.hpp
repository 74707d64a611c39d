#pragma once
// Storage port: REST API tokens (only their hashes are kept).
#include <optional>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace fu {

class TokenStore {
public:
    virtual ~TokenStore() = default;

    // REST API tokens.
    virtual TokenId add_api_token(const ApiToken&) = 0;
    virtual void update_api_token(const ApiToken&) = 0;
    virtual std::optional<ApiToken> api_token(TokenId) = 0;
    virtual std::optional<ApiToken> api_token_by_hash(std::string_view hash) = 0;
    virtual std::vector<ApiToken> api_tokens() = 0;  // id order, revoked ones too
};

}  // namespace fu
