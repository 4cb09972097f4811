// SIGTERM and SIGINT as a graceful-stop request, and SIGHUP as "reopen the log file": blocked
// in every thread (call before any thread starts, so threads inherit the mask) and awaited by
// one.
#pragma once

#include <functional>

namespace weft::cli {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (and the threads it starts later) and
// ignores SIGPIPE, so that a write to a closed socket is an error rather than death.
void block_stop_signals();

// Waits for SIGTERM or SIGINT; returns the signal's name ("SIGTERM"). Each SIGHUP meanwhile
// calls `on_hangup` (when given) and the wait goes on. Precondition: block_stop_signals() ran
// in this thread.
const char* wait_for_stop_signal(const std::function<void()>& on_hangup = {});

}  // namespace weft::cli
