// PLACEHOLDER while the SOP commands are written.
#include "core/bot_internal.hpp"

namespace fu::detail {
namespace {
Reply later(Ctx& ctx) { return {ctx.t("Not available yet.", "暂不可用。"), {}}; }
}  // namespace
Reply run(Ctx& ctx, const cmd::Reschedule&) { return later(ctx); }
Reply run(Ctx& ctx, const cmd::Complaint&) { return later(ctx); }
Reply run(Ctx& ctx, const cmd::Pool&) { return later(ctx); }
Reply run(Ctx& ctx, const cmd::Claim&) { return later(ctx); }
Reply run(Ctx& ctx, const cmd::Release&) { return later(ctx); }
Reply run(Ctx& ctx, const cmd::Handover&) { return later(ctx); }
Reply run(Ctx& ctx, const cmd::Close&) { return later(ctx); }
Reply run(Ctx& ctx, const cmd::Digest&) { return later(ctx); }
}  // namespace fu::detail
