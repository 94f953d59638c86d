// The `registry` command line: serve, user and token management.
#pragma once

namespace registry {

// Runs the command in argv and returns the process exit code.
int RunCli(int argc, char** argv);

}  // namespace registry
