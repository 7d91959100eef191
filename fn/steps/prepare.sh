#!/bin/sh
# The trusted step before a model's downloader, on the node group's volume (mounted whole). It runs only
# our scripts, in the step image, with no credentials and no token; the downloader itself sees only its
# own staging folder (fn/manifests/download-steps.ts, docs/node-steps.md).
#
# Usage: prepare.sh <volume root> <storage key> <marker text> jobs|daemonset adopt|no-adopt
set -eu
root=$1 key=$2 want=$3 mode=$4 adopt=$5
# shellcheck source-path=SCRIPTDIR source=model-folder.sh
. "${0%/*}/model-folder.sh"

# The attempt folder is the downloader's read-only view of this decision: `skip` or `download`.
decide() {
  rm -rf "$attempt"
  mkdir "$attempt"
  : >"$attempt/$1"
}

prepare() {
  remove_stale
  if is_complete; then
    decide skip
    echo "models/$key is complete: nothing to download"
    return
  fi
  if [ "$adopt" = adopt ] && [ ! -e "$marker" ] && [ -d "$served" ] && [ ! -L "$served" ] &&
    [ -n "$(ls -A "$served")" ]; then
    mark
    decide skip
    echo "models/$key: an existing copy without a marker is adopted as complete (adoptExistingCopies; not verified)"
    return
  fi
  rm -rf "$staging"
  mkdir "$staging"
  decide download
  echo "models/$key: downloading into $staging"
}

prepare
