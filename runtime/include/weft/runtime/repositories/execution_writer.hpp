// Group commit of execution records: callers queue single writes (a put or delete of the
// storage contract's write batch); one writer thread takes up to `batch_size` of them at a time
// and commits them as ONE atomic storage batch, so a busy instance pays one transaction per
// batch instead of one per record.
//
//   - Bounded: at most `queue_size` writes wait. submit() blocks up to a deadline for room and
//     then returns kUnavailable (back-pressure; memory never grows without bound).
//   - Coalescing: in one batch, a write to a document that a later unconditional write of the
//     same batch replaces is dropped; its waiter gets the later write's outcome.
//   - Isolation: when a batch fails with anything but kUnavailable / kTimeout (a conflict, an
//     invalid write, ...), its writes are retried one by one, so one bad write fails alone.
//   - Retry: while the store is unavailable the batch is retried with exponential backoff,
//     keeping submission order, for up to `retry_for`; then its waiters get the error.
//   - Order: writes commit in submission order.
// Thread-safe. Completions run on the writer thread: they must be quick.
#pragma once

#include <weft/runtime/config.hpp>
#include <weft/runtime/storage.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace weft {

class ExecutionWriter {
 public:
  using Clock = std::chrono::steady_clock;
  // Applies one atomic batch ({"writes": [...]}) and returns the new versions: Storage::write.
  using Commit = std::function<Result<std::vector<int64_t>>(const Json& batch)>;
  // Told the outcome of one write once it is committed or has failed.
  using Completion = std::function<void(const Status&)>;

  struct Options {
    size_t queue_size = 10000;  // writes waiting at most (>= 1)
    size_t batch_size = 500;    // writes per storage batch, 1..10000
    std::chrono::milliseconds submit_wait{5000};   // how long submit() waits for room
    std::chrono::milliseconds retry_initial{10};   // first backoff on an unavailable store
    std::chrono::milliseconds retry_max{1000};     // backoff ceiling
    std::chrono::milliseconds retry_for{30000};    // give up on a batch after this long

    // executions.writer.queueSize and batchSize; kInvalid naming the key when out of range.
    static Result<Options> from_config(const Config& config);
  };

  // Counters since construction.
  struct Stats {
    uint64_t submitted = 0;  // writes accepted by submit
    uint64_t rejected = 0;   // writes refused because the queue stayed full
    uint64_t committed = 0;  // writes that succeeded (coalesced ones included)
    uint64_t failed = 0;     // writes whose waiters got an error
    uint64_t coalesced = 0;  // writes replaced by a later write of the same batch
    uint64_t batches = 0;    // storage batches that committed
    uint64_t retries = 0;    // commit attempts repeated because the store was unavailable
    // CPU time the writer thread spent committing, in microseconds. The thread is the one
    // serial stage: 1e6 * committed / busy_cpu_us bounds the records per second.
    uint64_t busy_cpu_us = 0;
  };

  // Writes into `storage`. OWNERSHIP: `storage` is borrowed and must outlive the writer.
  ExecutionWriter(const Storage& storage, Options options);
  // Writes through `commit` (a wrapper that counts or fails, in tests).
  ExecutionWriter(Commit commit, Options options);
  // Drains: commits everything queued, then stops the thread. Once a batch has failed after
  // retry_for while draining, the rest are tried once each, so that it ends.
  ~ExecutionWriter();
  ExecutionWriter(const ExecutionWriter&) = delete;
  ExecutionWriter& operator=(const ExecutionWriter&) = delete;

  // Queues one write ({"op": "put"|"delete", "collection", "id", ...}); `done` (may be empty:
  // fire and forget) is told its outcome later. Waits up to `wait` (default
  // options.submit_wait) for room in the queue. Returns kUnavailable when the queue stayed
  // full or the writer is stopping, kInvalid for a malformed write; `done` is then never
  // called. Called on the writer thread (from a completion), it does not wait.
  Status submit(Json write, Completion done = {});
  Status submit(Json write, Completion done, Clock::duration wait);

  // Queues one write; the future gives its outcome once it is committed or has failed (or at
  // once, the refusal of submit).
  std::future<Status> submit_durable(Json write);

  // Waits until every write submitted before the call has been committed or has failed.
  void flush();

  // Stops taking batches (writes queue up, then submit blocks) until resume(). A batch in
  // progress completes. For maintenance, and for tests that need writes to gather.
  void pause();
  void resume();

  Stats stats() const;
  const Options& options() const { return options_; }

 private:
  struct Pending {
    Json write;
    Completion done;
  };

  void run();
  // Commits `batch` (coalesced, then retried or isolated as needed) and tells the waiters.
  void commit(std::vector<Pending>& batch);
  // One commit attempt loop: retries while the store is unavailable, up to retry_for.
  Result<std::vector<int64_t>> commit_with_retry(const Json& batch);
  void complete(const Completion& done, const Status& status);
  // Hands the committed `writes` (a JSON array) over to be freed by submitters.
  void retire(Json& writes);
  bool stopping() const;

  Options options_;
  Commit commit_;

  mutable std::mutex mu_;
  std::condition_variable room_;     // the queue has room, or the writer stops
  std::condition_variable work_;     // there is work, or the writer stops / resumes
  std::condition_variable drained_;  // completed_ moved
  std::deque<Pending> queue_;
  // Committed writes not yet freed. Freeing them costs about what building them did, so
  // submitters free them (two per submit) rather than the writer thread; the writer frees them
  // itself when idle or when too many wait.
  std::deque<Json> spent_;
  uint64_t accepted_ = 0;   // writes ever queued
  uint64_t completed_ = 0;  // writes ever taken and finished (in queue order)
  bool paused_ = false;
  bool stopping_ = false;

  bool gave_up_ = false;  // the last batch failed after retry_for (writer thread only)
  std::atomic<uint64_t> rejected_{0}, committed_{0}, failed_{0}, coalesced_{0}, batches_{0},
      retries_{0}, busy_cpu_us_{0};
  std::thread thread_;
};

}  // namespace weft
