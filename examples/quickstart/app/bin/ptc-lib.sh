#!/bin/sh
# Shared by the PyTechCo stand-in programs: talking to Redis with redis-cli.
# REDIS_HOST and REDIS_PORT come from the job's template (local/env.txt with env = true).
REDIS_HOST="${REDIS_HOST:-localhost}"
REDIS_PORT="${REDIS_PORT:-6379}"

rcli() { redis-cli --raw -h "$REDIS_HOST" -p "$REDIS_PORT" "$@"; }

# A random integer in [lo, hi].
rand() { echo $(( $1 + RANDOM % ($2 - $1 + 1) )); }
