#!/bin/sh
# What prepare.sh and finalize.sh share, sourced by both: the paths of one model on the node group's
# volume, the key's lock, the marker check and the removal of stale partial copies.
#
# Everything that reads or changes models/<key>, its marker or its partial copies holds the key's lock
# (flock on <key>.lock in the state folder) and re-checks the marker once it holds it: two pods that want
# one model on one node never mix their copies. A download that is running holds a lock on its staging
# folder, so a partial copy nobody holds is stale and removed before a new attempt.
#
# Set before sourcing: root (the volume's mount path), key (the storage key), want (the marker text),
# mode (`jobs` or `daemonset`: how a failed download is retried, which decides when a copy is stale).
# Env: POD_NAME (downward API metadata.name): names this pod's staging and attempt folders.
# The sourcing script sets root, key, want and mode (SC2154) and reads what this sets (SC2034).
# shellcheck shell=sh disable=SC2034,SC2154
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

# Another pod's partial copy is stale when its download will never run again. A running download holds
# a lock on its staging folder, so `flock -n` fails on it and it stays. A Job's pod never runs a container
# twice (a retry is a new pod, with a new folder), so in jobs mode an unlocked copy is dead. A DaemonSet's
# pod restarts a failed downloader in place, in the same folder: in daemonset mode only a copy nobody has
# touched for a day is dead (a rollout replaced its pod). An empty copy stays: its pod may have prepared
# it and not started its downloader yet; it uses no space. An attempt folder goes only with its own copy:
# a `skip` decision has none, and its pod's finalize step removes it.
dead() {
  [ "$mode" = jobs ] || [ -n "$(find "$1" -maxdepth 0 -mmin +1440)" ]
}

remove_stale() {
  for path in "$state/$key.partial."*; do
    [ -e "$path" ] || [ -L "$path" ] || continue
    [ "$path" != "$staging" ] || continue
    if [ -L "$path" ] || [ ! -d "$path" ] ||
      { [ -n "$(ls -A "$path")" ] && dead "$path" && flock -n "$path" true; }; then
      rm -rf "$path" "$state/$key.attempt.${path#"$state/$key.partial."}"
    fi
  done
}
