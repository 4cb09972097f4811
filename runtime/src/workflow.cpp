#include <weft/runtime/workflow.hpp>

#include <set>

namespace weft {

const char* on_error_name(OnError e) {
  switch (e) {
    case OnError::kStop: return "stop";
    case OnError::kContinue: return "continue";
    case OnError::kErrorOutput: return "errorOutput";
  }
  return "stop";
}

int Workflow::index_of(std::string_view node_id) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].id == node_id) return static_cast<int>(i);
  return -1;
}

Json ValidationReport::to_json() const {
  Json list = Json::array();
  for (const auto& p : problems) {
    Json j = {{"path", p.path}, {"message", p.message}};
    if (!p.node.empty()) j["node"] = p.node;
    list.push_back(std::move(j));
  }
  return {{"valid", problems.empty()}, {"problems", std::move(list)}};
}

std::string ValidationReport::to_text() const {
  std::string out;
  for (const auto& p : problems) {
    out += p.node.empty() ? p.path : "node " + p.node;
    out += ": " + p.message + "\n";
  }
  return out;
}

namespace {

bool is_count(const Json& j) {
  return j.is_number_unsigned() || (j.is_number_integer() && j.get<int64_t>() >= 0);
}

std::string type_name(const Json& j) {
  if (j.is_number_integer() || j.is_number_unsigned()) return "integer";
  return j.type_name();
}

// Reads an integer setting within [lo, hi] or adds a problem.
void read_int_setting(const Json& s, const char* key, int64_t lo, int64_t hi, int64_t& out,
                      const std::string& path, const std::string& node, ValidationReport& r) {
  auto it = s.find(key);
  if (it == s.end()) return;
  if (!it->is_number_integer() && !it->is_number_unsigned()) {
    r.add(path + "." + key, node, std::string(key) + " must be an integer, not " + type_name(*it));
    return;
  }
  int64_t v = it->get<int64_t>();
  if (v < lo || v > hi) {
    r.add(path + "." + key, node,
          std::string(key) + " must be between " + std::to_string(lo) + " and " +
              std::to_string(hi) + ", not " + std::to_string(v));
    return;
  }
  out = v;
}

NodeSettings parse_settings(const Json& s, const std::string& path, const std::string& node,
                            ValidationReport& r) {
  NodeSettings out;
  if (!s.is_object()) {
    r.add(path, node, "settings must be an object");
    return out;
  }
  if (auto retry = s.find("retry"); retry != s.end()) {
    if (!retry->is_object()) {
      r.add(path + ".retry", node, "retry must be an object {maxTries, waitMs}");
    } else {
      int64_t tries = out.max_tries;
      read_int_setting(*retry, "maxTries", 1, 10, tries, path + ".retry", node, r);
      out.max_tries = static_cast<int>(tries);
      read_int_setting(*retry, "waitMs", 0, 3'600'000, out.retry_wait_ms, path + ".retry", node, r);
    }
  }
  read_int_setting(s, "timeoutMs", 0, 86'400'000, out.timeout_ms, path, node, r);
  if (auto oe = s.find("onError"); oe != s.end()) {
    std::string v = oe->is_string() ? oe->get<std::string>() : "";
    if (v == "stop") out.on_error = OnError::kStop;
    else if (v == "continue") out.on_error = OnError::kContinue;
    else if (v == "errorOutput") out.on_error = OnError::kErrorOutput;
    else r.add(path + ".onError", node, "onError must be \"stop\", \"continue\" or \"errorOutput\"");
  }
  for (const auto& [key, value] : s.items()) {
    (void)value;
    if (key != "retry" && key != "timeoutMs" && key != "onError")
      r.add(path + "." + key, node, "unknown setting '" + key + "'");
  }
  return out;
}

PortRef parse_port(const Json& edge, const char* key, const std::string& path,
                   ValidationReport& r) {
  PortRef p;
  auto it = edge.find(key);
  if (it == edge.end()) {
    p.index = 0;
  } else if (is_count(*it)) {
    p.index = it->get<size_t>();
  } else if (it->is_string() && !it->get<std::string>().empty()) {
    p.name = it->get<std::string>();
  } else {
    r.add(path + "." + key, "", std::string(key) + " must be a port index or a port name");
    p.index = 0;
  }
  return p;
}

}  // namespace

Workflow parse_workflow(const Json& doc, ValidationReport& r) {
  Workflow w;
  if (!doc.is_object()) {
    r.add("", "", "a workflow must be a JSON object");
    return w;
  }
  if (auto it = doc.find("id"); it != doc.end()) {
    if (it->is_string()) w.id = it->get<std::string>();
    else r.add("id", "", "id must be a string");
  }
  if (auto it = doc.find("name"); it != doc.end()) {
    if (it->is_string()) w.name = it->get<std::string>();
    else r.add("name", "", "name must be a string");
  }
  if (auto it = doc.find("version"); it != doc.end()) {
    if (is_count(*it)) w.version = it->get<int64_t>();
    else r.add("version", "", "version must be a non-negative integer");
  }
  if (auto it = doc.find("settings"); it != doc.end()) {
    if (it->is_object()) w.settings = *it;
    else r.add("settings", "", "settings must be an object");
  }

  auto nodes = doc.find("nodes");
  if (nodes == doc.end() || !nodes->is_array()) {
    r.add("nodes", "", "nodes must be an array of nodes");
  } else if (nodes->empty()) {
    r.add("nodes", "", "a workflow needs at least one node");
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < nodes->size(); ++i) {
      const Json& n = (*nodes)[i];
      std::string path = "nodes[" + std::to_string(i) + "]";
      if (!n.is_object()) {
        r.add(path, "", "a node must be an object");
        continue;
      }
      WorkflowNode node;
      auto id = n.find("id");
      if (id == n.end() || !id->is_string() || id->get<std::string>().empty()) {
        r.add(path + ".id", "", "every node needs a non-empty string id");
        continue;
      }
      node.id = id->get<std::string>();
      if (!seen.insert(node.id).second) {
        r.add(path + ".id", node.id, "duplicate node id");
        continue;
      }
      auto type = n.find("type");
      if (type == n.end() || !type->is_string() || type->get<std::string>().empty())
        r.add(path + ".type", node.id, "type is required (e.g. \"weft.set\")");
      else
        node.type = type->get<std::string>();
      auto tv = n.find("typeVersion");
      if (tv == n.end())
        r.add(path + ".typeVersion", node.id, "typeVersion is required: a workflow pins the node type version it was built with");
      else if (!is_count(*tv) || tv->get<uint64_t>() == 0 || tv->get<uint64_t>() > UINT32_MAX)
        r.add(path + ".typeVersion", node.id, "typeVersion must be a positive integer");
      else
        node.type_version = tv->get<uint32_t>();
      if (auto p = n.find("parameters"); p != n.end()) {
        if (p->is_object()) node.parameters = *p;
        else r.add(path + ".parameters", node.id, "parameters must be an object");
      }
      if (auto s = n.find("settings"); s != n.end())
        node.settings = parse_settings(*s, path + ".settings", node.id, r);
      w.nodes.push_back(std::move(node));
    }
  }

  if (auto edges = doc.find("edges"); edges != doc.end()) {
    if (!edges->is_array()) {
      r.add("edges", "", "edges must be an array");
    } else {
      for (size_t i = 0; i < edges->size(); ++i) {
        const Json& e = (*edges)[i];
        std::string path = "edges[" + std::to_string(i) + "]";
        if (!e.is_object()) {
          r.add(path, "", "an edge must be an object {from, to}");
          continue;
        }
        Edge edge;
        auto from = e.find("from");
        auto to = e.find("to");
        if (from == e.end() || !from->is_string() || to == e.end() || !to->is_string()) {
          r.add(path, "", "an edge needs string fields 'from' and 'to' (node ids)");
          continue;
        }
        edge.from = from->get<std::string>();
        edge.to = to->get<std::string>();
        edge.from_port = parse_port(e, "fromPort", path, r);
        edge.to_port = parse_port(e, "toPort", path, r);
        w.edges.push_back(std::move(edge));
      }
    }
  }
  return w;
}

}  // namespace weft
