// `registry docs upload` and `registry docs delete`: hosted docs from the command line.
#pragma once

#include "cli/args.h"
#include "cli/command.h"

namespace registry {

// registry docs upload --url URL [--token-env VAR] [--registry NAME] [--cacert FILE]
//                      NAME VERSION DIR
// Packs DIR (PackDocsDir) and PUTs it; prints the docs' URL on stdout, a summary on stderr.
int DocsUploadCommand(const ParsedArgs& args);

// registry docs delete --data DIR NAME VERSION
int DocsDeleteCommand(const ParsedArgs& args);

// docs upload, docs delete.
std::vector<Command> DocsCommands();

}  // namespace registry
