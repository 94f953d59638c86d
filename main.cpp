// registry: a private Cargo registry in one static executable. See README.md.
#include "cli/cli.h"

int main(int argc, char** argv) { return registry::RunCli(argc, argv); }
