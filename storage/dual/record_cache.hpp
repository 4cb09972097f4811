// The bounded cache of the dual mode: records by collection and id, the least recently used
// evicted first. It is split into shards, each with its own lock, LRU list and share of the
// bound, so that concurrent gets of different documents rarely wait for one another (the LRU
// order is therefore per shard, an approximation of a global one).
//
// Consistency. Every key has a generation, changed whenever a write of the key begins or ends,
// an invalidation drops it, or the cache is cleared. A reader that missed may store what it then
// read from the database only if no write of the key was in flight when it looked and the
// generation is still the one it saw: a read that may have raced with a write never lands. A
// write drops the key's entry when it begins, and nothing can be stored for the key until it has
// ended, so once a write is acknowledged the next get reads the database or an entry read after
// the write. Concurrent writes of one key are counted, and the key stays uncacheable until the
// last one has ended.
#pragma once

#include "cached_record.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace weft::dual {

class RecordCache {
 public:
  // A cache holding at most `capacity` (>= 1) records.
  explicit RecordCache(size_t capacity);
  ~RecordCache();
  RecordCache(const RecordCache&) = delete;
  RecordCache& operator=(const RecordCache&) = delete;

  // The outcome of a lookup: a hit holds the record; a miss may hold the right to store what
  // the caller then reads from the database (fill). Abandons that right when destroyed.
  class Lookup {
   public:
    Lookup() = default;
    Lookup(Lookup&& other) noexcept;
    Lookup& operator=(Lookup&&) = delete;
    ~Lookup();
    // The cached record, or nullptr on a miss.
    const std::shared_ptr<const CachedRecord>& record() const { return record_; }
    // Whether this miss may fill (no write of the key was in flight when it looked).
    bool can_fill() const { return cache_ != nullptr; }

   private:
    friend class RecordCache;
    RecordCache* cache_ = nullptr;  // set while the right to fill is held
    size_t shard_ = 0;
    std::string key_;
    uint64_t generation_ = 0;
    std::shared_ptr<const CachedRecord> record_;
  };

  // Looks document `id` of `collection` up, marking it most recently used on a hit.
  Lookup lookup(std::string_view collection, std::string_view id);
  // Stores `record` (may be nullptr: nothing stored) for a miss, unless a write of the key began
  // or ended, or the key was invalidated, since the lookup. Evicts the least recently used
  // record of the shard when it is full. Gives up the lookup's right to fill. True when stored.
  bool fill(Lookup& miss, std::shared_ptr<const CachedRecord> record);

  // Marks writes of `keys` (see key()) as in flight for as long as it lives: their entries are
  // dropped and nothing is stored for them until it is destroyed.
  class Writes {
   public:
    Writes(RecordCache& cache, std::vector<std::string> keys);
    ~Writes();
    Writes(const Writes&) = delete;
    Writes& operator=(const Writes&) = delete;

   private:
    RecordCache& cache_;
    std::vector<std::string> keys_;
  };

  // Drops the entry of one document and fails the fills in progress for it.
  void invalidate(std::string_view collection, std::string_view id);
  // The same for every document of `collection`.
  void invalidate_collection(std::string_view collection);
  // Drops every entry and fails every fill in progress.
  void clear();

  // The key of a document, as Writes expects it.
  static std::string key(std::string_view collection, std::string_view id);

  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
    int64_t fills = 0;      // records stored
    int64_t evictions = 0;  // records dropped to respect the bound
    int64_t entries = 0;    // records held now
  };
  Stats stats() const;
  size_t capacity() const { return capacity_; }

 private:
  struct Shard;
  struct Slot;

  Shard& shard_of(std::string_view key, size_t* index);
  void abandon(Lookup& miss);
  // Drops the entries and fails the fills of every key `matches` accepts.
  template <class Match>
  void drop_where(Match&& matches);
  void begin_write(const std::string& key);
  void end_write(const std::string& key);

  const size_t capacity_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace weft::dual
