#pragma once

namespace kiln {

/// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts afterwards. Call it
/// first thing in a long-running command, so the signals reach only WaitForShutdownSignal().
void BlockShutdownSignals();

/// Waits for SIGINT or SIGTERM and returns its number.
int WaitForShutdownSignal();

}  // namespace kiln
