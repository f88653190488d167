// The kiln binary. Everything is wired in app/; this file only hands over the command line.
#include "app/cli.hpp"

int main(int argc, char** argv) {
    return kiln::app::RunCli(argc, argv);
}
