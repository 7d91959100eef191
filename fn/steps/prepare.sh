#!/bin/sh
# The trusted part of a model's download before the downloader (prepare.sh) or after it (finalize.sh),
# on the node group's volume (mounted whole). It runs only this script, in the step image,
# with no credentials and no token; the downloader itself sees only its own staging folder
# (fn/build/download-steps.ts, docs/node-steps.md).
#
# Usage: prepare.sh <volume root> <storage key> <marker text> adopt|no-adopt
# The lock, the marker check and the removal of stale copies are the same in prepare.sh and finalize.sh
# (test/step-scripts.test.ts holds them equal): each pod carries only the phase it runs.
# Env:   POD_NAME (downward API metadata.name): names this pod's staging and attempt folders.
#
# Everything that reads or changes models/<key>, its marker or its partial copies holds the key's lock
# (flock on <key>.lock in the state folder) and re-checks the marker once it holds it: two pods that want
# one model on one node never mix their copies. A download that is running holds a lock on its staging
# folder, so a partial copy nobody holds is stale and removed before a new attempt.
set -eu
root=$1 key=$2 want=$3 adopt=$4
pod=${POD_NAME:?POD_NAME must be set from the downward API (metadata.name)}
umask 0002
served=$root/models/$key
state=$root/.kserve-localmodel-fn
marker=$state/$key.complete
staging=$state/$key.partial.$pod
attempt=$state/$key.attempt.$pod

mkdir -p "$root/models" "$state"
exec 9>>"$state/$key.lock"
flock 9

is_complete() {
  [ -d "$served" ] && [ ! -L "$served" ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ]
}

mark() {
  printf '%s\n' "$want" >"$marker.$pod"
  mv "$marker.$pod" "$marker"
}

# Partial copies (and their attempt folders) whose download has run and is not running: a running one
# holds a lock on its staging folder, so `flock -n` fails on it and it stays. An empty one stays too:
# another pod may have prepared it and not started its downloader yet; it uses no space.
remove_stale() {
  for path in "$state/$key.partial."*; do
    [ -e "$path" ] || [ -L "$path" ] || continue
    if [ -L "$path" ] || [ ! -d "$path" ] || { [ -n "$(ls -A "$path")" ] && flock -n "$path" true; }; then
      rm -rf "$path" "$state/$key.attempt.${path#"$state/$key.partial."}"
    fi
  done
  for path in "$state/$key.attempt."*; do
    [ -e "$path" ] || [ -L "$path" ] || continue
    [ -e "$state/$key.partial.${path#"$state/$key.attempt."}" ] || rm -rf "$path"
  done
}

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
