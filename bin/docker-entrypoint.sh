#!/bin/sh
# The image's entry point. `docker run … herald` runs Herald (the CMD); `docker run … herald sandbox`
# runs the sandbox (what `npm run sandbox` runs), listening on every interface of the container so
# that `-p 127.0.0.1:3000:3000` reaches it. Anything else runs as given.
set -e
if [ "$1" = "sandbox" ]; then
  shift
  export HOST="${HOST:-0.0.0.0}"
  exec node dist/src/sandbox/main.js "$@"
fi
exec "$@"
