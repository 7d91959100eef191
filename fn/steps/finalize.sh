#!/bin/sh
# The trusted step after a model's downloader, on the node group's volume (mounted whole): the rename
# into models/<key> and the marker, under the key's lock. Like prepare.sh, it runs only our scripts, with
# no credentials and no token (fn/manifests/download-steps.ts, docs/node-steps.md).
#
# Usage: finalize.sh <volume root> <storage key> <marker text> jobs|daemonset
set -eu
root=$1 key=$2 want=$3 mode=$4
# shellcheck source-path=SCRIPTDIR source=model-folder.sh
. "${0%/*}/model-folder.sh"

finalize() {
  if is_complete; then
    rm -rf "$staging" "$attempt"
    remove_stale
    echo "models/$key is complete"
    return
  fi
  if [ ! -f "$attempt/download" ] || [ ! -d "$staging" ] || [ -L "$staging" ]; then
    rm -rf "$staging" "$attempt"
    echo "models/$key: this pod's attempt was cancelled by another pod's step while it was not running; not using it" >&2
    exit 1
  fi
  rm -f "$marker"
  if [ -e "$served" ] || [ -L "$served" ]; then
    # Serving pods may have this folder mounted: it is moved aside, never deleted here.
    mv "$served" "$state/$key.replaced.$pod"
    echo "models/$key had no matching marker: the old folder is kept as $state/$key.replaced.$pod"
  fi
  mv "$staging" "$served"
  mark
  rm -rf "$attempt"
  remove_stale
  echo "models/$key is complete"
}

finalize
