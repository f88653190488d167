#include "core/shutdown_signal.hpp"

#include <pthread.h>

#include <csignal>

namespace kiln {

namespace {

sigset_t ShutdownSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    return signals;
}

}  // namespace

void BlockShutdownSignals() {
    const sigset_t signals = ShutdownSignals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int WaitForShutdownSignal() {
    const sigset_t signals = ShutdownSignals();
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    return signal_number;
}

}  // namespace kiln
