#include "record_cache.hpp"

#include <algorithm>
#include <functional>

namespace weft::dual {

namespace {

// Shards of a cache: enough that a few busy threads rarely meet on one lock, and never more
// than records, so that every shard can hold at least one.
constexpr size_t kMaxShards = 16;

// Writes the key of a document into `out`: the collection's length, the collection, the id (so
// that no two (collection, id) pairs share a key, whatever bytes they hold).
void compose_key(std::string& out, std::string_view collection, std::string_view id) {
  const auto length = static_cast<uint32_t>(collection.size());
  out.clear();
  out.append(reinterpret_cast<const char*>(&length), sizeof(length));
  out.append(collection);
  out.append(id);
}

}  // namespace

struct RecordCache::Slot {
  const std::string* key = nullptr;  // the map's key of this slot (node-based map: stable)
  std::shared_ptr<const CachedRecord> record;
  uint64_t generation = 0;
  uint32_t writers = 0;  // writes of the key in flight
  uint32_t readers = 0;  // misses holding the right to fill
  Slot* newer = nullptr;  // LRU links, set while `record` is
  Slot* older = nullptr;
};

struct alignas(64) RecordCache::Shard {
  std::mutex mutex;
  std::unordered_map<std::string, Slot> slots;  // GUARDED_BY(mutex), and so is the rest
  Slot* newest = nullptr;
  Slot* oldest = nullptr;
  size_t capacity = 0;
  size_t size = 0;  // slots holding a record
  uint64_t clock = 0;  // source of generations: every change takes the next value
  int64_t hits = 0, misses = 0, fills = 0, evictions = 0;

  void link_newest(Slot* s) {
    s->older = newest;
    s->newer = nullptr;
    if (newest) newest->newer = s;
    newest = s;
    if (!oldest) oldest = s;
  }
  void unlink(Slot* s) {
    (s->newer ? s->newer->older : newest) = s->older;
    (s->older ? s->older->newer : oldest) = s->newer;
    s->newer = s->older = nullptr;
  }
  // Drops the slot's record, if any.
  void drop(Slot& s) {
    if (!s.record) return;
    unlink(&s);
    s.record.reset();
    --size;
  }
  // The slot of `key`, created (with a fresh generation) when absent.
  Slot& slot(const std::string& key) {
    auto [it, created] = slots.try_emplace(key);
    if (created) {
      it->second.key = &it->first;
      it->second.generation = ++clock;
    }
    return it->second;
  }
  // Removes a slot that holds nothing and that nobody waits on.
  void erase_if_idle(Slot& s) {
    if (!s.record && s.writers == 0 && s.readers == 0) slots.erase(*s.key);
  }
};

RecordCache::RecordCache(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {
  const size_t n = std::min(kMaxShards, capacity_);
  for (size_t i = 0; i < n; ++i) {
    shards_.push_back(std::make_unique<Shard>());
    shards_.back()->capacity = capacity_ / n + (i < capacity_ % n ? 1 : 0);
  }
}

RecordCache::~RecordCache() = default;

std::string RecordCache::key(std::string_view collection, std::string_view id) {
  std::string out;
  compose_key(out, collection, id);
  return out;
}

RecordCache::Shard& RecordCache::shard_of(std::string_view key, size_t* index) {
  size_t h = std::hash<std::string_view>{}(key);
  // The maps inside a shard bucket by the same hash: take the shard from other bits.
  *index = (h ^ (h >> 31)) % shards_.size();
  return *shards_[*index];
}

RecordCache::Lookup RecordCache::lookup(std::string_view collection, std::string_view id) {
  thread_local std::string scratch;  // no allocation per lookup once warm
  compose_key(scratch, collection, id);
  size_t index = 0;
  Shard& shard = shard_of(scratch, &index);
  Lookup out;
  std::lock_guard lock(shard.mutex);
  auto it = shard.slots.find(scratch);
  if (it != shard.slots.end() && it->second.record) {
    Slot& s = it->second;
    ++shard.hits;
    if (shard.newest != &s) {
      shard.unlink(&s);
      shard.link_newest(&s);
    }
    out.record_ = s.record;
    return out;
  }
  ++shard.misses;
  if (it != shard.slots.end() && it->second.writers > 0) return out;  // a write is in flight
  Slot& s = shard.slot(scratch);
  ++s.readers;
  out.cache_ = this;
  out.shard_ = index;
  out.key_ = scratch;
  out.generation_ = s.generation;
  return out;
}

bool RecordCache::fill(Lookup& miss, std::shared_ptr<const CachedRecord> record) {
  if (!miss.cache_) return false;
  miss.cache_ = nullptr;
  Shard& shard = *shards_[miss.shard_];
  std::lock_guard lock(shard.mutex);
  auto it = shard.slots.find(miss.key_);
  if (it == shard.slots.end()) return false;  // cannot happen: the lookup's reader count holds it
  Slot& s = it->second;
  --s.readers;
  bool stored = false;
  if (record && !s.record && s.writers == 0 && s.generation == miss.generation_) {
    stored = true;
    s.record = std::move(record);
    shard.link_newest(&s);
    ++shard.size;
    ++shard.fills;
    while (shard.size > shard.capacity) {
      Slot& victim = *shard.oldest;  // never `s`, the newest, since capacity >= 1
      shard.drop(victim);
      ++shard.evictions;
      shard.erase_if_idle(victim);
    }
  }
  shard.erase_if_idle(s);
  return stored;
}

void RecordCache::abandon(Lookup& miss) {
  if (!miss.cache_) return;
  miss.cache_ = nullptr;
  Shard& shard = *shards_[miss.shard_];
  std::lock_guard lock(shard.mutex);
  auto it = shard.slots.find(miss.key_);
  if (it == shard.slots.end()) return;
  --it->second.readers;
  shard.erase_if_idle(it->second);
}

RecordCache::Lookup::Lookup(Lookup&& other) noexcept
    : cache_(std::exchange(other.cache_, nullptr)),
      shard_(other.shard_),
      key_(std::move(other.key_)),
      generation_(other.generation_),
      record_(std::move(other.record_)) {}

RecordCache::Lookup::~Lookup() {
  if (cache_) cache_->abandon(*this);
}

void RecordCache::begin_write(const std::string& key) {
  size_t index = 0;
  Shard& shard = shard_of(key, &index);
  std::lock_guard lock(shard.mutex);
  Slot& s = shard.slot(key);
  ++s.writers;
  s.generation = ++shard.clock;
  shard.drop(s);
}

void RecordCache::end_write(const std::string& key) {
  size_t index = 0;
  Shard& shard = shard_of(key, &index);
  std::lock_guard lock(shard.mutex);
  auto it = shard.slots.find(key);
  if (it == shard.slots.end()) return;  // cannot happen: begin_write's count holds it
  Slot& s = it->second;
  --s.writers;
  s.generation = ++shard.clock;
  shard.drop(s);  // nothing can have been stored meanwhile; dropped again to be sure
  shard.erase_if_idle(s);
}

RecordCache::Writes::Writes(RecordCache& cache, std::vector<std::string> keys) : cache_(cache) {
  keys_.reserve(keys.size());
  for (std::string& key : keys) {
    cache_.begin_write(key);
    keys_.push_back(std::move(key));
  }
}

RecordCache::Writes::~Writes() {
  for (const std::string& key : keys_) cache_.end_write(key);
}

void RecordCache::invalidate(std::string_view collection, std::string_view id) {
  std::string k = key(collection, id);
  size_t index = 0;
  Shard& shard = shard_of(k, &index);
  std::lock_guard lock(shard.mutex);
  auto it = shard.slots.find(k);
  if (it == shard.slots.end()) return;  // nothing cached and no fill in progress
  Slot& s = it->second;
  s.generation = ++shard.clock;
  shard.drop(s);
  shard.erase_if_idle(s);
}

template <class Match>
void RecordCache::drop_where(Match&& matches) {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    for (auto it = shard->slots.begin(); it != shard->slots.end();) {
      Slot& s = it->second;
      if (!matches(it->first)) {
        ++it;
        continue;
      }
      s.generation = ++shard->clock;
      shard->drop(s);
      if (s.writers == 0 && s.readers == 0) {
        it = shard->slots.erase(it);
      } else {
        ++it;
      }
    }
  }
}

void RecordCache::clear() {
  drop_where([](const std::string&) { return true; });
}

void RecordCache::invalidate_collection(std::string_view collection) {
  const std::string prefix = key(collection, {});
  drop_where([&](const std::string& k) { return k.compare(0, prefix.size(), prefix) == 0; });
}

RecordCache::Stats RecordCache::stats() const {
  Stats out;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    out.hits += shard->hits;
    out.misses += shard->misses;
    out.fills += shard->fills;
    out.evictions += shard->evictions;
    out.entries += static_cast<int64_t>(shard->size);
  }
  return out;
}

}  // namespace weft::dual
