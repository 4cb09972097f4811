// What the API's handlers reach: the configuration, the loaded plugins and the open store.
// `weft serve` fills every member; `weft serve --print-routes` builds the route table with
// them null (handlers are registered, never called).
#pragma once

#include "http/openapi.hpp"

#include <weft/runtime/config.hpp>
#include <weft/runtime/plugin_host.hpp>
#include <weft/runtime/storage.hpp>

namespace weft::api {

struct ApiContext {
  const Config* config = nullptr;     // OWNERSHIP: borrowed; outlives the server
  const PluginHost* plugins = nullptr;  // OWNERSHIP: borrowed; outlives the server
  const Storage* storage = nullptr;     // OWNERSHIP: borrowed; outlives the server
  http::OpenApiInfo openapi;            // title, version, security schemes of the document
};

}  // namespace weft::api
