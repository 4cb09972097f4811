// Storage benchmarks through the domain layer, per backend: execution records written through
// ExecutionRepository's recorder and the group-commit ExecutionWriter (1 and 8 concurrent
// writers; a realistic 5-node execution of ~2.5 KiB of JSON), and a workflow read through
// WorkflowRepository::get (with dual: the cache-hit path).
//
// Backends are registered when their plugin is built; postgres needs WEFT_BENCH_PG_URL (run.sh
// starts a throwaway server and sets it).
#include <weft/runtime/plugin_host.hpp>
#include <weft/runtime/repositories/execution_repository.hpp>
#include <weft/runtime/repositories/random_id.hpp>
#include <weft/runtime/repositories/workflow_repository.hpp>
#include <weft/runtime/storage_setup.hpp>

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sys/resource.h>
#include <unistd.h>

namespace weft::bench {
namespace {

namespace fs = std::filesystem;

// Records per thread and round: each round ends when the thread's last record is durable, so
// the rate counts committed records, not queued ones.
constexpr int kRoundRecords = 1000;

const PluginHost& storage_plugins() {
  static const PluginHost* host = [] {
    auto* h = new PluginHost();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(WEFT_BENCH_PLUGIN_DIR, ec)) {
      const std::string file = entry.path().filename().string();
      if (file.rfind("weft_storage_", 0) == 0 && entry.path().extension() == ".so")
        h->load_file(entry.path().string());
    }
    return h;
  }();
  return *host;
}

std::string pg_url() {
  const char* url = std::getenv("WEFT_BENCH_PG_URL");
  return url ? url : "";
}

// One open store of a backend, with the repositories over it; a fresh location per benchmark.
struct Env {
  explicit Env(const std::string& backend) {
    static std::atomic<int> counter{0};
    dir = fs::temp_directory_path() /
          ("weft-bench-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir);
    Json config = {{"collections", domain_collections()}, {"autoMigrate", true}};
    const std::string db = (dir / "weft.db").string();
    if (backend == "sqlite") config["path"] = db;
    if (backend == "postgres") config["url"] = pg_url();
    if (backend == "dual") {
      config["database"] = "sqlite";
      config["databaseOptions"] = {{"path", db}};
      config["mode"] = "dual";
      config["cacheEntries"] = 10000;
    }
    auto s = Storage::open(storage_plugins(), backend, config);
    if (!s) {
      error = s.status().to_string();
      return;
    }
    store = std::move(*s);
    writer = std::make_unique<ExecutionWriter>(*store, ExecutionWriter::Options{});
    executions = std::make_unique<ExecutionRepository>(*store, *writer, SavePolicy{});
    workflows = std::make_unique<WorkflowRepository>(*store);
  }
  ~Env() {
    workflows.reset();
    executions.reset();
    writer.reset();
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  fs::path dir;
  std::string error;
  std::unique_ptr<Storage> store;
  std::unique_ptr<ExecutionWriter> writer;
  std::unique_ptr<ExecutionRepository> executions;
  std::unique_ptr<WorkflowRepository> workflows;
};

// CPU time of the whole process (every thread, the plugin's included), in microseconds.
double process_cpu_us() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto us = [](const timeval& t) { return double(t.tv_sec) * 1e6 + double(t.tv_usec); };
  return us(u.ru_utime) + us(u.ru_stime);
}

// The environment of the benchmark running now: made by thread 0 before the timed loop and
// destroyed by it after (the loop starts and ends on a barrier of all threads).
Env* g_env = nullptr;
double g_cpu_start = 0;

void set_up(benchmark::State& state, const std::string& backend) {
  if (state.thread_index() != 0) return;
  g_env = new Env(backend);
  g_cpu_start = process_cpu_us();
}

void tear_down(benchmark::State& state) {
  if (state.thread_index() != 0) return;
  delete g_env;
  g_env = nullptr;
}

Items items(int node, int n) {
  Items out;
  for (int i = 0; i < n; ++i)
    out.push_back(make_item({{"orderId", "ord-" + std::to_string(100000 + node * 10 + i)},
                             {"customer", {{"name", "Ada Lovelace"}, {"email", "ada@example.com"},
                                           {"tier", "gold"}}},
                             {"lines", {{{"sku", "A-100"}, {"qty", 2}, {"price", 19.5}},
                                        {{"sku", "B-200"}, {"qty", 1}, {"price", 5.25}}}},
                             {"total", 44.25},
                             {"node", node}}));
  return out;
}

// A finished 5-node execution (trigger, set, if, two branches: one ran, one skipped).
const ExecutionResult& sample_execution() {
  static const ExecutionResult r = [] {
    ExecutionResult e;
    e.workflow_id = "wf-orders";
    e.workflow_version = 7;
    e.mode = "webhook";
    e.status = ExecutionStatus::kSucceeded;
    e.started_at_ms = 1'764'140'000'000;
    e.finished_at_ms = e.started_at_ms + 12;
    const char* ids[] = {"webhook", "total", "check", "big", "small"};
    const char* types[] = {"weft.webhook", "weft.set", "weft.if", "weft.set", "weft.set"};
    for (int i = 0; i < 5; ++i) {
      NodeRun run;
      run.node_id = ids[i];
      run.type = types[i];
      run.type_version = 1;
      run.status = i == 4 ? NodeStatus::kSkipped : NodeStatus::kSucceeded;
      run.tries = i == 4 ? 0 : 1;
      run.started_at_ms = e.started_at_ms + i;
      run.duration_us = 150 + i;
      run.items_in = {size_t(i == 4 ? 0 : 2)};
      if (i == 2) run.output = {items(i, 2), Items{}};
      else run.output = {i == 4 ? Items{} : items(i, 2)};
      e.runs.push_back(std::move(run));
    }
    e.result.emplace_back("big", items(3, 2));
    return e;
  }();
  return r;
}

// Plays one execution through a recorder, as the Executor does; returns its recorder.
std::shared_ptr<ExecutionRecorder> record_one(ExecutionRepository& repo, const Items& input) {
  ExecutionResult r = sample_execution();
  r.id = random_id();
  auto recorder = repo.recorder(repo.defaults());
  recorder->execution_started({r.id, r.workflow_id, r.workflow_version, r.mode, r.started_at_ms, input});
  for (const auto& run : r.runs) recorder->node_finished(r.id, run);
  recorder->execution_finished(r);
  return recorder;
}

// Counters of a records benchmark: records per storage batch, the size of one record, and the
// process CPU time per record (a number the machine's other load does not inflate; for
// postgres the server's CPU is not in it).
void report_writer(benchmark::State& state, int64_t records) {
  if (state.thread_index() != 0 || !g_env || !g_env->writer) return;
  if (records > 0) state.counters["cpu_us_per_record"] = (process_cpu_us() - g_cpu_start) / double(records);
  auto s = g_env->writer->stats();
  state.counters["records_per_batch"] = s.batches ? double(s.committed) / double(s.batches) : 0;
  // The writer thread's CPU per record: its inverse bounds the records per second of one
  // writer thread given a whole core.
  if (s.committed) state.counters["writer_cpu_us_per_record"] = double(s.busy_cpu_us) / double(s.committed);
  ExecutionRecord sample = ExecutionRecord::from_result(sample_execution(), {}, true);
  state.counters["record_bytes"] = double(sample.body().dump().size());
}

// Records written as fast as the writer commits them; each thread waits, per round, for its
// last record to be durable.
void BM_ExecutionRecords(benchmark::State& state, std::string backend) {
  set_up(state, backend);
  const int per_thread = std::max(1, kRoundRecords / state.threads());
  const Items input = items(0, 1);
  for (auto _ : state) {
    if (!g_env->error.empty()) {
      state.SkipWithError(g_env->error.c_str());
      break;
    }
    std::shared_ptr<ExecutionRecorder> last;
    for (int i = 0; i < per_thread; ++i) last = record_one(*g_env->executions, input);
    Status st = last->saved().get();
    if (!st) {
      state.SkipWithError(st.to_string().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * per_thread);
  report_writer(state, state.iterations() * per_thread * state.threads());
  tear_down(state);
}

// Each writer waits for every record to be durable before the next: the latency-bound case,
// where group commit gathers the records of concurrent writers into one batch.
void BM_ExecutionRecordsWaitEach(benchmark::State& state, std::string backend) {
  set_up(state, backend);
  const Items input = items(0, 1);
  for (auto _ : state) {
    if (!g_env->error.empty()) {
      state.SkipWithError(g_env->error.c_str());
      break;
    }
    Status st = record_one(*g_env->executions, input)->saved().get();
    if (!st) {
      state.SkipWithError(st.to_string().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  report_writer(state, state.iterations() * state.threads());
  tear_down(state);
}

// WorkflowRepository::get of one 5-node workflow, over and over.
void BM_WorkflowGet(benchmark::State& state, std::string backend) {
  set_up(state, backend);
  std::string id;
  if (g_env->error.empty()) {
    Json nodes = Json::array();
    for (int i = 0; i < 5; ++i)
      nodes.push_back({{"id", "n" + std::to_string(i)}, {"type", "weft.set"}, {"typeVersion", 1},
                       {"parameters", {{"fields", {{{"name", "total"}, {"value", "{{ $json.price * $json.qty }}"}}}}}}});
    NewWorkflow w;
    w.name = "orders";
    w.definition = {{"nodes", nodes}, {"edges", Json::array()}};
    auto created = g_env->workflows->create(w);
    if (created) id = created->id;
    else g_env->error = created.status().to_string();
  }
  for (auto _ : state) {
    if (!g_env->error.empty()) {
      state.SkipWithError(g_env->error.c_str());
      break;
    }
    auto r = g_env->workflows->get(id);
    if (!r) {
      state.SkipWithError(r.status().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  tear_down(state);
}

// The domain layer's own cost per record, without a store: the record of a finished execution
// built from the executor's result and serialized as the backends do.
void BM_ExecutionRecordEncode(benchmark::State& state) {
  const Items input = items(0, 1);
  size_t bytes = 0;
  for (auto _ : state) {
    ExecutionRecord r = ExecutionRecord::from_result(sample_execution(), input, true);
    std::string text = std::move(r).body().dump();
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["record_bytes"] = double(bytes);
}
BENCHMARK(BM_ExecutionRecordEncode)->Unit(benchmark::kMicrosecond);

bool plugin_built(const std::string& backend) {
  return fs::exists(fs::path(WEFT_BENCH_PLUGIN_DIR) / ("weft_storage_" + backend + ".so"));
}

[[maybe_unused]] const bool kRegistered = [] {
  for (std::string backend : {"memory", "sqlite", "postgres", "dual"}) {
    if (!plugin_built(backend)) continue;
    if (backend == "postgres" && pg_url().empty()) {
      std::cerr << "bench_storage: postgres not benchmarked: WEFT_BENCH_PG_URL is not set "
                   "(tests/bench/run.sh starts a server and sets it)\n";
      continue;
    }
    benchmark::RegisterBenchmark(("BM_ExecutionRecords/" + backend).c_str(), BM_ExecutionRecords, backend)
        ->Threads(1)->Threads(8)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_ExecutionRecordsWaitEach/" + backend).c_str(), BM_ExecutionRecordsWaitEach, backend)
        ->Threads(1)->Threads(8)->UseRealTime()->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("BM_WorkflowGet/" + backend).c_str(), BM_WorkflowGet, backend)
        ->UseRealTime()->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace
}  // namespace weft::bench
