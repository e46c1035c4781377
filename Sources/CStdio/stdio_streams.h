// C's stdout and stderr are mutable globals that Swift 6 cannot prove safe to read; stdio locks
// each stream itself, so these accessors are what NodeNet uses instead.
#ifndef NODENET_STDIO_STREAMS_H
#define NODENET_STDIO_STREAMS_H
#include <stdio.h>
static inline FILE *nodenet_stdout(void) { return stdout; }
static inline FILE *nodenet_stderr(void) { return stderr; }
#endif
