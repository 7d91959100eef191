#!/bin/sh
# The downloader's wrapper. It runs in the download image, with the cache's credentials, and sees only
# its own staging folder (read-write) and its attempt folder (read-only), never the volume's root
# (fn/manifests/download-steps.ts). The decision to download was made by prepare.sh.
#
# Usage: download.sh <attempt folder> <destination> <uri> <downloader command...>
# The downloader is called as `<downloader command...> <uri> <destination>`, KServe's URI/destination pair.
set -eu
attempt=$1 dest=$2 uri=$3
shift 3
# Files group-writable: the trusted steps and the cleanup share the pod's fsGroup, not always its user.
umask 0002
if [ -f "$attempt/skip" ]; then
  echo "$uri: complete on this node, nothing to download"
  exit 0
fi
if [ ! -f "$attempt/download" ]; then
  echo "$uri: no download was prepared for this pod (another pod's step cancelled it); failing so that it is retried" >&2
  exit 1
fi
echo "downloading $uri"
# While it runs, the download holds a lock on its staging folder: other pods' steps then leave it alone.
if command -v flock >/dev/null 2>&1; then exec flock "$dest" "$@" "$uri" "$dest"; fi
exec "$@" "$uri" "$dest"
