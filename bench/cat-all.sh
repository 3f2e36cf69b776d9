#!/bin/sh
# The physical floor: read every customer file once (warm cache), as `followup` must.
find "$1/customers" -name '*.md' -print0 | xargs -0 cat >/dev/null
