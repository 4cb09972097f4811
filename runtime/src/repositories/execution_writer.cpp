#include <weft/runtime/repositories/execution_writer.hpp>

#include <algorithm>
#include <ctime>
#include <unordered_map>

namespace weft {

namespace {

// The contract's largest batch.
constexpr size_t kMaxBatch = 10000;
constexpr int64_t kMaxQueue = 10'000'000;
// Committed writes left for submitters to free, at most this many batches' worth.
constexpr size_t kSpentBatches = 4;

// CPU time of the calling thread, in microseconds.
uint64_t thread_cpu_us() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return uint64_t(t.tv_sec) * 1000000u + uint64_t(t.tv_nsec) / 1000u;
}

bool retryable(const Status& s) {
  return s.code() == Code::kUnavailable || s.code() == Code::kTimeout;
}

bool unconditional(const Json& write) {
  auto it = write.find("expectedVersion");
  return it == write.end() || it->is_null();
}

Status check_write(const Json& write) {
  auto text = [&](const char* key) {
    auto it = write.find(key);
    return it != write.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
  };
  if (!write.is_object() || !text("op") || !text("collection") || !text("id"))
    return Status::invalid("execution writer: a write needs \"op\", \"collection\" and \"id\"");
  const auto& op = write["op"].get_ref<const std::string&>();
  if (op != "put" && op != "delete")
    return Status::invalid("execution writer: op must be put or delete, got '" + op + "'");
  return Status::ok();
}

}  // namespace

Result<ExecutionWriter::Options> ExecutionWriter::Options::from_config(const Config& config) {
  Options o;
  const int64_t queue = config.get_int("executions.writer.queueSize");
  const int64_t batch = config.get_int("executions.writer.batchSize");
  if (queue < 1 || queue > kMaxQueue)
    return Status::invalid("executions.writer.queueSize must be from 1 to " + std::to_string(kMaxQueue));
  if (batch < 1 || batch > int64_t(kMaxBatch))
    return Status::invalid("executions.writer.batchSize must be from 1 to " + std::to_string(kMaxBatch));
  o.queue_size = static_cast<size_t>(queue);
  o.batch_size = static_cast<size_t>(batch);
  return o;
}

ExecutionWriter::ExecutionWriter(const Storage& storage, Options options)
    : ExecutionWriter([&storage](const Json& batch) { return storage.write(batch); }, options) {}

ExecutionWriter::ExecutionWriter(Commit commit, Options options)
    : options_(options), commit_(std::move(commit)) {
  options_.queue_size = std::max<size_t>(options_.queue_size, 1);
  options_.batch_size = std::clamp<size_t>(options_.batch_size, 1, kMaxBatch);
  thread_ = std::thread([this] { run(); });
}

ExecutionWriter::~ExecutionWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    paused_ = false;
  }
  work_.notify_all();
  room_.notify_all();
  thread_.join();
}

Status ExecutionWriter::submit(Json write, Completion done) {
  return submit(std::move(write), std::move(done), options_.submit_wait);
}

Status ExecutionWriter::submit(Json write, Completion done, Clock::duration wait) {
  if (Status st = check_write(write); !st) return st;
  std::unique_lock<std::mutex> lock(mu_);
  auto has_room = [&] { return stopping_ || queue_.size() < options_.queue_size; };
  if (!has_room()) {
    // The writer thread would wait for itself: it never waits.
    const bool on_writer = std::this_thread::get_id() == thread_.get_id();
    if (on_writer || !room_.wait_for(lock, wait, has_room)) {
      rejected_.fetch_add(1, std::memory_order_relaxed);
      return Status::unavailable("the execution writer's queue is full (" +
                                 std::to_string(options_.queue_size) +
                                 " writes waiting); try again later");
    }
  }
  if (stopping_) return Status::unavailable("the execution writer is shutting down");
  queue_.push_back({std::move(write), std::move(done)});
  ++accepted_;
  // Free two committed writes here, off the writer thread (see spent_).
  Json spent[2];
  for (Json& j : spent) {
    if (spent_.empty()) break;
    j = std::move(spent_.front());
    spent_.pop_front();
  }
  lock.unlock();
  work_.notify_one();
  return Status::ok();
}

std::future<Status> ExecutionWriter::submit_durable(Json write) {
  auto promise = std::make_shared<std::promise<Status>>();
  std::future<Status> future = promise->get_future();
  Status st = submit(std::move(write), [promise](const Status& s) { promise->set_value(s); });
  if (!st) promise->set_value(st);
  return future;
}

void ExecutionWriter::flush() {
  std::unique_lock<std::mutex> lock(mu_);
  const uint64_t target = accepted_;
  drained_.wait(lock, [&] { return completed_ >= target; });
}

void ExecutionWriter::pause() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!stopping_) paused_ = true;
}

void ExecutionWriter::resume() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    paused_ = false;
  }
  work_.notify_all();
}

ExecutionWriter::Stats ExecutionWriter::stats() const {
  Stats s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.submitted = accepted_;
  }
  s.rejected = rejected_.load(std::memory_order_relaxed);
  s.committed = committed_.load(std::memory_order_relaxed);
  s.failed = failed_.load(std::memory_order_relaxed);
  s.coalesced = coalesced_.load(std::memory_order_relaxed);
  s.batches = batches_.load(std::memory_order_relaxed);
  s.retries = retries_.load(std::memory_order_relaxed);
  s.busy_cpu_us = busy_cpu_us_.load(std::memory_order_relaxed);
  return s;
}

void ExecutionWriter::run() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (queue_.empty() && !spent_.empty()) {
        // Idle: free what submitters have not.
        std::deque<Json> idle_spent = std::move(spent_);
        spent_.clear();
        lock.unlock();
        idle_spent.clear();
        lock.lock();
      }
      work_.wait(lock, [&] { return stopping_ || (!paused_ && !queue_.empty()); });
      if (queue_.empty()) return;  // stopping, and drained
      const size_t n = std::min(queue_.size(), options_.batch_size);
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    room_.notify_all();
    const uint64_t cpu_before = thread_cpu_us();
    commit(batch);
    busy_cpu_us_.fetch_add(thread_cpu_us() - cpu_before, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mu_);
      completed_ += batch.size();
    }
    drained_.notify_all();
  }
}

void ExecutionWriter::commit(std::vector<Pending>& batch) {
  // Coalesce: an unconditional write replaces an earlier unconditional write of the same
  // document in place; a conditional write is never dropped nor jumped over.
  Json writes = Json::array();
  std::vector<std::vector<Completion>> waiters;
  std::unordered_map<std::string, size_t> last_unconditional;
  for (Pending& p : batch) {
    std::string key = p.write["collection"].get<std::string>() + '\n' + p.write["id"].get<std::string>();
    if (unconditional(p.write)) {
      if (auto it = last_unconditional.find(key); it != last_unconditional.end()) {
        writes[it->second] = std::move(p.write);
        waiters[it->second].push_back(std::move(p.done));
        coalesced_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      last_unconditional[key] = writes.size();
    } else {
      last_unconditional.erase(key);
    }
    writes.push_back(std::move(p.write));
    waiters.push_back({std::move(p.done)});
  }

  Json request = Json::object();
  request["writes"] = std::move(writes);
  auto result = commit_with_retry(request);
  if (result) batches_.fetch_add(1, std::memory_order_relaxed);
  if (result || retryable(result.status()) || waiters.size() == 1) {
    for (const auto& group : waiters)
      for (const auto& done : group) complete(done, result.status());
    retire(request["writes"]);
    return;
  }
  // One bad write must not fail the others: apply them one by one, in order.
  Json& all = request["writes"];
  for (size_t i = 0; i < waiters.size(); ++i) {
    Json one = Json::object();
    one["writes"] = Json::array();
    one["writes"].push_back(std::move(all[i]));
    auto r = commit_with_retry(one);
    if (r) batches_.fetch_add(1, std::memory_order_relaxed);
    for (const auto& done : waiters[i]) complete(done, r.status());
    retire(one["writes"]);
  }
}

Result<std::vector<int64_t>> ExecutionWriter::commit_with_retry(const Json& batch) {
  const auto start = Clock::now();
  auto backoff = options_.retry_initial;
  for (;;) {
    Result<std::vector<int64_t>> r = Status::internal("execution writer: commit failed");
    try {
      r = commit_(batch);
    } catch (const std::exception& e) {
      r = Status::internal(std::string("execution writer: ") + e.what());
    }
    if (r || !retryable(r.status())) {
      gave_up_ = false;
      return r;
    }
    // Draining into a store that already outlasted retry_for: one attempt per batch, so that
    // the destructor ends.
    if (gave_up_ && stopping()) return r;
    if (Clock::now() - start + backoff > options_.retry_for) {
      gave_up_ = true;
      return r;
    }
    retries_.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, options_.retry_max);
  }
}

void ExecutionWriter::retire(Json& writes) {
  // The writes were built by submitters; freeing them is a good part of the cost of a record.
  // Left to submitters (two per submit) it stays off the one writer thread, which bounds the
  // throughput. Beyond kSpentBatches batches, the writer frees the oldest itself.
  std::deque<Json> overflow;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Json& w : writes) spent_.push_back(std::move(w));
    const size_t bound = kSpentBatches * options_.batch_size;
    while (spent_.size() > bound) {
      overflow.push_back(std::move(spent_.front()));
      spent_.pop_front();
    }
  }
}

bool ExecutionWriter::stopping() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

void ExecutionWriter::complete(const Completion& done, const Status& status) {
  (status ? committed_ : failed_).fetch_add(1, std::memory_order_relaxed);
  if (!done) return;
  try {
    done(status);
  } catch (...) {
    // A waiter's failure is its own; the writer goes on.
  }
}

}  // namespace weft
