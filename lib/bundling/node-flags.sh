#!/bin/sh
# Lambda starts each Feedwatch function through this file (AWS_LAMBDA_EXEC_WRAPPER), passing
# node's path and the runtime's own arguments; it adds the V8 flags NODE_OPTIONS may not carry.
#
# --no-concurrent-recompilation: V8 optimises hot functions on the calling thread instead of a
# background one. Lambda gives a function of 256-512 MB less than a third of a vCPU, so the
# background thread's work is not free: it is CPU the invocation waits for and pays for, and
# compiling in place costs less CPU in total (docs/performance.md, reading feeds cold).
[ $# -gt 0 ] || { echo "usage: node-flags.sh <node> [its arguments]" >&2; exit 64; }
node="$1"
shift
exec "$node" --no-concurrent-recompilation "$@"
