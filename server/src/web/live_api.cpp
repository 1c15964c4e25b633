#include "web/live_api.hpp"

#include <boost/beast/http/field.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "web/responses.hpp"

namespace rdpwarden::server::web {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

std::optional<app::LiveAction> parse_action(std::string_view name) {
  if (name == "suspend") return app::LiveAction::suspend;
  if (name == "resume") return app::LiveAction::resume;
  if (name == "terminate") return app::LiveAction::terminate;
  if (name == "message") return app::LiveAction::message;
  return std::nullopt;
}

Response unavailable(const Request& req) {
  return error_response(req, http::status::service_unavailable,
                        "live sessions are not available: the console runs without the gateway");
}

}  // namespace

std::optional<std::string> check_message_text(std::string& text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "the message is empty";
  auto last = text.find_last_not_of(" \t\r\n");
  text = text.substr(first, last - first + 1);
  if (text.size() > LiveApi::kMaxMessageBytes)
    return fmt::format("the message is longer than {} bytes", LiveApi::kMaxMessageBytes);
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
      return "the message holds control characters";
  }
  return std::nullopt;
}

json LiveApi::live_state(const SessionRow& row) {
  if (!live_) return nullptr;
  auto now = row.state == SessionState::live ? live_->state(row.id) : std::nullopt;
  return {{"watchable", now.has_value()},
          {"suspended", now && now->suspended},
          {"watchers", now ? now->watchers : 0}};
}

std::string live_state_message(const app::LiveState& state) {
  return json{{"type", "state"}, {"suspended", state.suspended}, {"watchers", state.watchers}}
      .dump();
}

Response LiveApi::control(const RequestContext& ctx) {
  const auto& req = ctx.request;
  auto action = parse_action(ctx.route.action);
  if (!action) return error_response(req, http::status::not_found, "not found");
  if (!live_) return unavailable(req);
  app::LiveCommand command{
      ctx.route.session_id, *action, ctx.session->user, ctx.client_address, {}};
  if (*action == app::LiveAction::message) {
    auto body = json::parse(req.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("text") ||
        !body["text"].is_string())
      return error_response(req, http::status::bad_request,
                            "expected a JSON object with the message in \"text\"");
    command.text = body["text"].get<std::string>();
    if (auto problem = check_message_text(command.text))
      return error_response(req, http::status::bad_request, *problem);
  }
  if (!backend_.find_session(command.session_id))
    return error_response(req, http::status::not_found, "no such session");
  switch (live_->control(command)) {
    case app::LiveResult::ok:
      break;
    case app::LiveResult::not_live:
      return error_response(req, http::status::conflict, "the session is not live");
    case app::LiveResult::invalid:
      return error_response(req, http::status::bad_request, "the gateway refused the command");
  }
  const bool ended = *action == app::LiveAction::terminate;
  auto now = ended ? std::nullopt : live_->state(command.session_id);
  return json_response(req, http::status::ok,
                       {{"session_id", command.session_id},
                        {"action", ctx.route.action},
                        {"suspended", now && now->suspended},
                        {"ended", ended}});
}

std::optional<Response> LiveApi::admit_watch(const RequestContext& ctx, LiveGrant& grant) {
  const auto& req = ctx.request;
  // Browsers always send Origin on a WebSocket handshake; cross-site pages get refused here
  // (the cookie is SameSite=Strict too, but a WebSocket is not covered by CORS).
  auto origin = req[http::field::origin];
  if (origin.empty() || origin != fmt::format("https://{}", req[http::field::host]))
    return error_response(req, http::status::forbidden, "cross-origin request refused");
  if (!live_) return unavailable(req);
  const auto& id = ctx.route.session_id;
  if (!backend_.find_session(id))
    return error_response(req, http::status::not_found, "no such session");
  if (!live_->is_live(id))
    return error_response(req, http::status::conflict, "the session is not live");
  grant = {id, ctx.session->user, ctx.client_address};
  return std::nullopt;
}

}  // namespace rdpwarden::server::web
