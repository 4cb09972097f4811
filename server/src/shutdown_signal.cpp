#include "shutdown_signal.hpp"

#include <pthread.h>
#include <signal.h>

namespace weft::cli {

namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_stop_signals() {
  sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

const char* wait_for_stop_signal(const std::function<void()>& on_hangup) {
  sigset_t set = stop_signals();
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      if (on_hangup) on_hangup();
      continue;
    }
    return sig == SIGTERM ? "SIGTERM" : "SIGINT";
  }
}

}  // namespace weft::cli
