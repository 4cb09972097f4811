#include "websocket/hub.hpp"

#include "http/server_log.hpp"
#include "websocket/frame.hpp"

#include <weft/runtime/json.hpp>

#include <Poco/Net/NetException.h>

#include <cerrno>
#include <deque>
#include <map>
#include <set>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace weft::websocket {

namespace {

using Clock = std::chrono::steady_clock;

// How long a closing connection may take to read our close frame and answer it.
constexpr auto kCloseGrace = std::chrono::seconds(10);
// Bytes read from one connection per readiness event, so that one busy client cannot starve
// the others.
constexpr size_t kReadBudget = 256 * 1024;
// Longest id accepted in a subscribe message.
constexpr size_t kMaxIdLength = 200;

std::string message(const char* type, Json data) {
  return Json{{"type", type}, {"data", std::move(data)}}.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string error_message(const std::string& text) { return message("error", Json{{"message", text}}); }

}  // namespace

struct Hub::Conn {
  int fd = -1;
  Poco::Net::StreamSocket socket;
  auth::Principal principal;
  std::string in;            // bytes read, not yet parsed into frames
  std::string fragments;     // a text message arriving in several frames
  bool in_message = false;
  std::deque<std::string> out;  // frames to send; the first may be partly sent
  size_t out_offset = 0;
  size_t out_bytes = 0;
  bool writable_interest = false;
  std::map<std::string, bool> workflows;   // subscribed workflow id -> includeData
  std::map<std::string, bool> executions;  // subscribed execution id -> includeData
  Clock::time_point last_heard = Clock::now();
  Clock::time_point next_check;  // when the credential and subscriptions are checked again
  bool ping_outstanding = false;
  Clock::time_point ping_sent;
  bool closing = false;        // our close frame is queued: nothing else is sent
  bool close_flushed = false;  // ... and sent
  Clock::time_point close_deadline;
  bool dead = false;
};

struct Hub::State {
  std::map<int, std::unique_ptr<Conn>> conns;
  std::map<std::string, std::set<Conn*>> by_workflow;
  std::map<std::string, std::set<Conn*>> by_execution;
  uint64_t bus_dropped = 0;
  Clock::time_point next_tick = Clock::now();
};

Hub::Hub(events::EventBus& bus, HubOptions options, HubAccess access)
    : bus_(bus), options_(options), access_(std::move(access)), state_(std::make_unique<State>()) {}

Hub::~Hub() {
  stop();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Status Hub::start() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) return Status::unavailable("websocket: cannot create the event loop (epoll)");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0)
    return Status::unavailable("websocket: cannot watch the wake-up descriptor");
  subscription_ = bus_.subscribe(options_.bus_queue, [this] { wake(); });
  subscription_->set_interest(false, false);  // nobody is subscribed yet
  started_ = true;
  thread_ = std::thread([this] { loop(); });
  return Status::ok();
}

void Hub::stop() {
  if (!started_ || stopping_.exchange(true)) return;
  wake();
  if (thread_.joinable()) thread_.join();
  bus_.unsubscribe(subscription_);
}

void Hub::wake() {
  uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

void Hub::adopt(const Poco::Net::StreamSocket& socket, auth::Principal principal) {
  {
    std::lock_guard<std::mutex> lock(pending_mu_);
    pending_.emplace_back(socket, std::move(principal));
  }
  wake();
}

void Hub::accept_pending() {
  std::vector<std::pair<Poco::Net::StreamSocket, auth::Principal>> pending;
  {
    std::lock_guard<std::mutex> lock(pending_mu_);
    pending.swap(pending_);
  }
  for (auto& [socket, principal] : pending) {
    try {
      if (stopping_ || state_->conns.size() >= options_.max_connections) {
        std::string bye = encode_close(kTryAgainLater, stopping_ ? "the server is stopping"
                                                                 : "too many WebSocket connections; retry later");
        socket.setSendTimeout(Poco::Timespan(0, 100000));
        socket.sendBytes(bye.data(), static_cast<int>(bye.size()));
        socket.close();
        continue;
      }
      socket.setBlocking(false);
      auto c = std::make_unique<Conn>();
      c->fd = socket.impl()->sockfd();
      c->socket = socket;
      c->principal = std::move(principal);
      c->next_check = Clock::now() + options_.revalidate_interval;
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP;
      ev.data.fd = c->fd;
      if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
        socket.close();
        continue;
      }
      state_->conns[c->fd] = std::move(c);
      open_.fetch_add(1);
      if (on_connection_change) on_connection_change(1);
    } catch (const Poco::Exception&) {
    }
  }
}

void Hub::loop() {
  std::vector<epoll_event> events(256);
  while (!stopping_) {
    const auto wait_ms = std::clamp<int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(state_->next_tick - Clock::now()).count(), 0, 1000);
    int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), static_cast<int>(wait_ms));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        uint64_t count;
        [[maybe_unused]] auto r = ::read(wake_fd_, &count, sizeof count);
        continue;
      }
      auto it = state_->conns.find(fd);
      if (it == state_->conns.end() || it->second->dead) continue;
      Conn& c = *it->second;
      if (events[i].events & EPOLLOUT) on_writable(c);
      if (!c.dead && (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) on_readable(c);
    }
    accept_pending();
    deliver_events();
    if (Clock::now() >= state_->next_tick) tick();
    for (auto it = state_->conns.begin(); it != state_->conns.end();)
      it = it->second->dead ? state_->conns.erase(it) : std::next(it);
  }
  // Stopping: say goodbye to everyone, without waiting for slow readers.
  for (auto& [fd, c] : state_->conns) {
    if (c->dead) continue;
    std::string bye = encode_close(kGoingAway, "the server is stopping");
    [[maybe_unused]] auto sent = ::send(c->fd, bye.data(), bye.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    destroy(*c);
  }
  state_->conns.clear();
  accept_pending();  // closes what arrived meanwhile (stopping_ is set)
}

void Hub::tick() {
  const auto now = Clock::now();
  state_->next_tick = now + std::min({std::chrono::milliseconds(options_.ping_interval / 2),
                                      options_.revalidate_interval, std::chrono::milliseconds(1000)});
  revalidate(now);
  for (auto& [fd, cp] : state_->conns) {
    Conn& c = *cp;
    if (c.dead) continue;
    if (c.closing) {
      if (now >= c.close_deadline) destroy(c);
      continue;
    }
    if (c.ping_outstanding) {
      if (now - c.ping_sent >= options_.ping_interval) begin_close(c, kPolicyViolation, "no pong within the ping interval");
    } else if (now - c.last_heard >= options_.ping_interval) {
      c.ping_outstanding = true;
      c.ping_sent = now;
      queue_bytes(c, encode_frame(kPing, "weft"), true);
    }
  }
}

void Hub::revalidate(Clock::time_point now) {
  if (!access_.refresh) return;
  // Answers shared by the connections of one credential within this pass.
  std::map<std::string, Result<std::optional<auth::Principal>>> principals;
  std::map<std::string, bool> readable;  // credential + "w:"/"e:" + id -> may read
  for (auto& [fd, cp] : state_->conns) {
    Conn& c = *cp;
    if (c.dead || c.closing || now < c.next_check) continue;
    c.next_check = now + options_.revalidate_interval;
    const std::string who = std::string(auth::kind_name(c.principal.kind)) + ":" + c.principal.id + ":" +
                            c.principal.session_id;
    auto found = principals.find(who);
    if (found == principals.end()) {
      Result<std::optional<auth::Principal>> fresh = Status::internal("not checked");
      try {
        fresh = access_.refresh(c.principal);
      } catch (const std::exception& e) {
        fresh = Status::internal(e.what());
      }
      found = principals.emplace(who, std::move(fresh)).first;
    }
    if (!found->second) continue;  // the store did not answer: try again next time
    if (!*found->second) {
      begin_close(c, kPolicyViolation, "the credential was revoked or has expired");
      continue;
    }
    c.principal = **found->second;
    // Every subscription again: a role change or an unshared workflow ends what it allowed.
    for (const bool execution : {false, true}) {
      auto& mine = execution ? c.executions : c.workflows;
      for (auto it = mine.begin(); it != mine.end();) {
        const std::string& id = it->first;
        const std::string key = who + (execution ? ":e:" : ":w:") + id;
        auto verdict = readable.find(key);
        if (verdict == readable.end()) {
          bool allowed = true;  // a failed check keeps the subscription until the next one
          try {
            allowed = may_watch(c, execution, id);
          } catch (const std::exception&) {
          }
          verdict = readable.emplace(key, allowed).first;
        }
        if (verdict->second) {
          ++it;
          continue;
        }
        unlist(c, execution, id);
        send_json(c, message("unsubscribed", {{execution ? "executionId" : "workflowId", id},
                                              {"reason", "access revoked"}}));
        it = mine.erase(it);
        update_bus_interest();
      }
    }
  }
}

void Hub::on_readable(Conn& c) {
  char buffer[16384];
  size_t budget = kReadBudget;
  bool eof = false;
  while (budget > 0) {
    ssize_t n = ::recv(c.fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      budget -= std::min(budget, static_cast<size_t>(n));
      if (!c.closing || !c.close_flushed) c.in.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) eof = true;
    else if (errno == EINTR) continue;
    else if (errno != EAGAIN && errno != EWOULDBLOCK) eof = true;
    break;
  }
  if (!c.in.empty()) c.last_heard = Clock::now();
  // Frames: the header is small, so the payload limit bounds the buffer too.
  while (!c.dead && !c.in.empty()) {
    Frame frame;
    ParseOutcome got = parse_frame(c.in, options_.max_message_bytes, frame);
    if (got.kind == ParseOutcome::Kind::kNeedMore) break;
    if (got.kind == ParseOutcome::Kind::kError) {
      c.in.clear();
      begin_close(c, got.code, got.reason);
      break;
    }
    c.in.erase(0, got.consumed);
    c.ping_outstanding = false;  // any frame shows the peer is alive
    switch (frame.opcode) {
      case kPing: queue_bytes(c, encode_frame(kPong, frame.payload), true); break;
      case kPong: break;
      case kClose:
        if (c.closing) destroy(c);
        else begin_close(c, kNormal, "");
        break;
      case kBinary: begin_close(c, kUnsupportedData, "only text messages (JSON) are accepted"); break;
      case kText:
      case kContinuation: {
        if ((frame.opcode == kText) == c.in_message) {
          begin_close(c, kProtocolError, "unexpected continuation frame");
          break;
        }
        c.fragments += frame.payload;
        c.in_message = !frame.fin;
        if (c.fragments.size() > options_.max_message_bytes) {
          begin_close(c, kMessageTooBig,
                      "a message is larger than the limit of " + std::to_string(options_.max_message_bytes) + " bytes");
          break;
        }
        if (frame.fin) {
          std::string text = std::move(c.fragments);
          c.fragments.clear();
          if (!c.closing) handle_message(c, text);
        }
        break;
      }
    }
  }
  if (eof && !c.dead) destroy(c);
}

void Hub::on_writable(Conn& c) { flush(c); }

void Hub::flush(Conn& c) {
  while (!c.dead && !c.out.empty()) {
    const std::string& front = c.out.front();
    ssize_t n = ::send(c.fd, front.data() + c.out_offset, front.size() - c.out_offset, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      destroy(c);
      return;
    }
    c.out_offset += static_cast<size_t>(n);
    c.out_bytes -= static_cast<size_t>(n);
    if (c.out_offset == front.size()) {
      c.out.pop_front();
      c.out_offset = 0;
    }
  }
  if (c.dead) return;
  if (c.out.empty() && c.closing && !c.close_flushed) {
    c.close_flushed = true;
    ::shutdown(c.fd, SHUT_WR);  // the client answers our close, then closes its side
  }
  update_interest(c);
}

void Hub::update_interest(Conn& c) {
  const bool want = !c.out.empty();
  if (want == c.writable_interest) return;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0u);
  ev.data.fd = c.fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev) == 0) c.writable_interest = want;
}

void Hub::queue_bytes(Conn& c, std::string bytes, bool droppable) {
  if (c.dead || c.closing) return;
  if (droppable && c.out_bytes + bytes.size() > options_.max_queued_bytes) {
    overflow_closes_.fetch_add(1);
    if (on_event_dropped) on_event_dropped();
    begin_close(c, kPolicyViolation,
                "the client reads too slowly: its outgoing queue passed " + std::to_string(options_.max_queued_bytes) +
                    " bytes");
    return;
  }
  const bool was_empty = c.out.empty();
  c.out_bytes += bytes.size();
  c.out.push_back(std::move(bytes));
  if (was_empty) flush(c);
}

void Hub::send_json(Conn& c, const std::string& text) { queue_bytes(c, encode_frame(kText, text), true); }

void Hub::begin_close(Conn& c, uint16_t code, const std::string& reason) {
  if (c.dead || c.closing) return;
  // Keep only a frame already partly sent (the stream must stay well-formed), then the close.
  while (c.out.size() > (c.out_offset > 0 ? 1u : 0u)) {
    c.out_bytes -= c.out.back().size();
    c.out.pop_back();
  }
  if (c.out.size() == 1) c.out_bytes = c.out.front().size() - c.out_offset;
  unindex(c);
  std::string frame = encode_close(code, reason);
  c.out_bytes += frame.size();
  c.out.push_back(std::move(frame));
  c.closing = true;
  c.close_deadline = Clock::now() + kCloseGrace;
  flush(c);
}

bool Hub::may_watch(const Conn& c, bool execution, const std::string& id) const {
  return execution ? access_.execution_workflow(c.principal, id).has_value()
                   : access_.workflow_readable(c.principal, id);
}

void Hub::unlist(Conn& c, bool execution, const std::string& id) {
  auto& index = execution ? state_->by_execution : state_->by_workflow;
  if (auto it = index.find(id); it != index.end()) {
    it->second.erase(&c);
    if (it->second.empty()) index.erase(it);
  }
}

void Hub::unindex(Conn& c) {
  for (const auto& [id, include] : c.workflows) unlist(c, false, id);
  for (const auto& [id, include] : c.executions) unlist(c, true, id);
  c.workflows.clear();
  c.executions.clear();
  update_bus_interest();
}

void Hub::update_bus_interest() {
  const bool any = !state_->by_workflow.empty() || !state_->by_execution.empty();
  bool output = false;
  for (const auto& [fd, c] : state_->conns) {
    for (const auto& [id, include] : c->workflows) output = output || include;
    for (const auto& [id, include] : c->executions) output = output || include;
    if (output) break;
  }
  subscription_->set_interest(any, output);
}

void Hub::destroy(Conn& c) {
  if (c.dead) return;
  c.dead = true;
  unindex(c);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  try {
    c.socket.close();
  } catch (const Poco::Exception&) {
  }
  open_.fetch_sub(1);
  if (on_connection_change) on_connection_change(-1);
}

void Hub::handle_message(Conn& c, const std::string& text) {
  Json m;
  try {
    m = Json::parse(text);
  } catch (const std::exception&) {
    send_json(c, error_message("the message is not JSON"));
    return;
  }
  if (!m.is_object() || !m.contains("type") || !m["type"].is_string()) {
    send_json(c, error_message("type must be a string"));
    return;
  }
  const std::string type = m["type"];
  const bool execution = type == "execution.subscribe" || type == "execution.unsubscribe";
  const bool workflow = type == "workflow.subscribe" || type == "workflow.unsubscribe";
  if (!execution && !workflow) {
    send_json(c, error_message("type '" + type.substr(0, 60) +
                               "' is not one of execution.subscribe, execution.unsubscribe, workflow.subscribe, "
                               "workflow.unsubscribe"));
    return;
  }
  const char* field = execution ? "executionId" : "workflowId";
  const Json data = m.contains("data") ? m["data"] : Json();
  if (!data.is_object() || !data.contains(field) || !data[field].is_string() || data[field].get<std::string>().empty() ||
      data[field].get<std::string>().size() > kMaxIdLength) {
    send_json(c, error_message(std::string("data.") + field + " must be a non-empty string"));
    return;
  }
  const std::string id = data[field];
  bool include = false;
  if (data.contains("includeData")) {
    if (!data["includeData"].is_boolean()) {
      send_json(c, error_message("data.includeData must be true or false"));
      return;
    }
    include = data["includeData"];
  }
  auto& mine = execution ? c.executions : c.workflows;
  auto& index = execution ? state_->by_execution : state_->by_workflow;
  Json reply{{field, id}};
  if (type.ends_with(".unsubscribe")) {
    if (mine.erase(id) == 0) {
      send_json(c, error_message(std::string(execution ? "execution" : "workflow") + " '" + id + "' is not subscribed"));
      return;
    }
    unlist(c, execution, id);
    update_bus_interest();
    send_json(c, message("unsubscribed", reply));
    return;
  }
  // The same answer for an id that does not exist and one the principal may not read.
  bool allowed = false;
  try {
    allowed = may_watch(c, execution, id);
  } catch (const std::exception& e) {
    http::log_line(std::string("websocket: access check failed: ") + e.what());
    send_json(c, error_message("the subscription cannot be checked right now; retry later"));
    return;
  }
  if (!allowed) {
    send_json(c, error_message(std::string(execution ? "execution" : "workflow") + " '" + id + "' not found"));
    return;
  }
  if (!mine.count(id) && c.workflows.size() + c.executions.size() >= options_.max_subscriptions) {
    send_json(c, error_message("a connection may hold at most " + std::to_string(options_.max_subscriptions) +
                               " subscriptions"));
    return;
  }
  mine[id] = include;
  index[id].insert(&c);
  update_bus_interest();
  reply["includeData"] = include;
  send_json(c, message("subscribed", reply));
}

void Hub::deliver_events() {
  for (;;) {
    auto batch = subscription_->drain(1024);
    if (const uint64_t dropped = subscription_->dropped(); dropped > state_->bus_dropped) {
      // The hub itself fell behind: subscribers would silently miss events. Tell them instead.
      state_->bus_dropped = dropped;
      for (auto& [fd, c] : state_->conns)
        if (!c->dead && (!c->workflows.empty() || !c->executions.empty()))
          begin_close(*c, kTryAgainLater, "the server dropped events under load; reconnect and resubscribe");
    }
    if (batch.empty()) return;
    for (const auto& e : batch) {
      // Who gets it, and whether with the node's output.
      std::map<Conn*, bool> targets;
      if (auto it = state_->by_workflow.find(e->workflow_id); it != state_->by_workflow.end())
        for (Conn* c : it->second) targets[c] = c->workflows[e->workflow_id];
      if (events::is_execution_event(e->type))
        if (auto it = state_->by_execution.find(e->execution_id); it != state_->by_execution.end())
          for (Conn* c : it->second) targets[c] = targets[c] || c->executions[e->execution_id];
      if (targets.empty()) continue;
      std::optional<std::string> plain, with_data;
      for (auto& [c, include] : targets) {
        std::optional<std::string>& text = include && e->output ? with_data : plain;
        if (!text) text = encode_frame(kText, message(events::event_type_name(e->type), events::event_data(*e, include)));
        queue_bytes(*c, *text, true);
      }
    }
  }
}

}  // namespace weft::websocket
