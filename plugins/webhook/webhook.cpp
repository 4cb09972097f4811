// weft.webhook: the trigger of executions started by an HTTP call to /webhook/<path>. The server
// serves the path and authenticates the caller from these parameters; the node itself checks
// them and passes the request item on.
#include <weft/sdk.hpp>

#include <string>

namespace {

// Validates the webhook definition (path, method, responseMode, auth, credential), then
// forwards the trigger items, or emits one empty object when there are none.
class WebhookTrigger : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    check_path(ctx);
    ctx.param_enum("method", -1, {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}, "POST");
    ctx.param_enum("responseMode", -1, {"onReceived", "lastNode", "responseNode"}, "onReceived");
    std::string auth = ctx.param_enum("auth", -1, {"none", "header", "basic"}, "none");
    if (auth != "none") {
      weft::Value credential = ctx.param("credential");
      if (!credential.is_string() || credential.as_string().empty())
        throw weft::param_error("credential", -1, "is required when auth is '" + auth + "'");
    }

    size_t count = ctx.input_count(0);
    if (count == 0) ctx.emit(0, ctx.object());
    for (size_t i = 0; i < count; ++i) ctx.forward(0, 0, i);
    return weft::Result::ok();
  }

 private:
  // A path is one or more URL path segments: letters, digits and - _ . / : only.
  static void check_path(weft::Context& ctx) {
    weft::Value path = ctx.required("path");
    if (!path.is_string())
      throw weft::param_error("path", -1,
                              "must be a string, got " + std::string(weft::type_name(path)));
    std::string_view p = path.as_string();
    bool has_segment = false;
    for (char c : p) {
      bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == ':';
      if (!word && c != '/')
        throw weft::param_error("path", -1, "may hold only letters, digits and - _ . / :");
      has_segment = has_segment || word;
    }
    if (!has_segment) throw weft::param_error("path", -1, "must not be empty");
  }
};

constexpr const char* kDescription = R"({
  "displayName": "Webhook",
  "description": "Starts an execution when an HTTP request arrives at /webhook/<path>. The request becomes the trigger item.",
  "inputs": [],
  "outputs": ["main"],
  "trigger": true,
  "parameters": [
    {"name": "path", "type": "string", "required": true,
     "description": "Path under /webhook/, e.g. 'orders/new'. Letters, digits and - _ . / : only."},
    {"name": "method", "type": "string", "required": false, "default": "POST",
     "options": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
     "description": "HTTP method the webhook answers."},
    {"name": "responseMode", "type": "string", "required": false, "default": "onReceived",
     "options": ["onReceived", "lastNode", "responseNode"],
     "description": "onReceived: answer at once; lastNode: answer with the last node's first item; responseNode: answer with what a weft.respond node sets."},
    {"name": "auth", "type": "string", "required": false, "default": "none",
     "options": ["none", "header", "basic"],
     "description": "How the caller authenticates: none, a secret header (a weft.httpHeaderAuth credential), or HTTP basic (a weft.basicAuth credential)."},
    {"name": "credential", "type": "credential", "required": false,
     "credentialTypes": ["weft.httpHeaderAuth", "weft.basicAuth"],
     "requiredWhen": {"parameter": "auth", "in": ["header", "basic"]},
     "description": "Id of the credential holding the header name and secret value (auth 'header') or the user and password (auth 'basic'); required unless auth is 'none'."}
  ]
})";

}  // namespace

WEFT_PLUGIN("weft-webhook", "1.0.0") {
  registry.add_node<WebhookTrigger>("weft.webhook", 1, kDescription);
}
