#pragma once

namespace kiln::app {

/// Parses the command line (CLI11) and runs the chosen command. Returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace kiln::app
