// Node types that exist only to test the executor's rules.
//   test.flaky@1      fails its first `failures` attempts (per execution), then forwards items
//   test.rendezvous@1 waits until `parties` instances run at the same time (proves parallelism)
//   test.emit_to@1    emits one item {"port": p} to output `port` of its 2 outputs
//   test.spin@1       ignores cancellation and returns after `ms` of busy waiting
#include <weft/sdk.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace {

class Flaky : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    if (attempts_++ < ctx.param_int("failures", -1, 0))
      return weft::Result::error(WEFT_ERR_UNAVAILABLE, "flaky failure " + std::to_string(attempts_));
    for (size_t i = 0; i < ctx.input_count(0); ++i) ctx.forward(0, 0, i);
    return weft::Result::ok();
  }

 private:
  int64_t attempts_ = 0;  // per execution: one instance per node per execution
};

std::atomic<int> g_inside{0};

class Rendezvous : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    int parties = static_cast<int>(ctx.param_int("parties", -1, 2));
    ++g_inside;
    // Wait (bounded) until enough instances are inside at once.
    for (int i = 0; i < 1000 && g_inside.load() < parties; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    bool met = g_inside.load() >= parties;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the others see us
    --g_inside;
    if (!met) return weft::Result::error(WEFT_ERR_TIMEOUT, "the other parties never arrived");
    for (size_t i = 0; i < ctx.input_count(0); ++i) ctx.forward(0, 0, i);
    return weft::Result::ok();
  }
};

class EmitTo : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    int64_t port = ctx.param_int("port", -1, 0);
    weft::OwnedValue item = ctx.object();
    item.set("port", port);
    ctx.emit(static_cast<size_t>(port), std::move(item));
    return weft::Result::ok();
  }
};

class Spin : public weft::Node {
 public:
  weft::Result execute(weft::Context& ctx) override {
    auto until = std::chrono::steady_clock::now() +
                 std::chrono::milliseconds(ctx.param_int("ms", -1, 100));
    while (std::chrono::steady_clock::now() < until) std::this_thread::yield();
    for (size_t i = 0; i < ctx.input_count(0); ++i) ctx.forward(0, 0, i);
    return weft::Result::ok();
  }
};

}  // namespace

WEFT_PLUGIN("weft-test-nodes", "1.0.0") {
  registry.add_node<Flaky>("test.flaky", 1,
                           R"({"parameters":[{"name":"failures","type":"number","default":0}]})");
  registry.add_node<Rendezvous>("test.rendezvous", 1,
                                R"({"parameters":[{"name":"parties","type":"number","default":2}]})");
  registry.add_node<EmitTo>("test.emit_to", 1,
                            R"({"outputs":["a","b"],"parameters":[{"name":"port","type":"number","required":true}]})");
  registry.add_node<Spin>("test.spin", 1,
                          R"({"parameters":[{"name":"ms","type":"number","default":100}]})");
}
