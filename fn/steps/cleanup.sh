#!/bin/sh
# Daemonset mode's last download step: removes the model folders that no cache on this volume lists.
# Runs in the step image with no credentials, on the node group's volume mounted whole.
#
# Usage: cleanup.sh <volume root> <storage keys to keep...>
#
# Removes, and only removes, for a key-shaped name (16 lower-case hex digits) that is not kept: the real
# folder models/<key>, its marker, replaced copies and partial copies whose download is not running. It
# holds the key's lock while it does (as prepare.sh and finalize.sh do), never follows a symlink, and touches
# nothing else. Lock files stay: removing a lock file another process waits on would break the lock.
set -eu
root=$1
shift
keep=" $* "
state=$root/.kserve-localmodel-fn
umask 0002
is_key() {
  case $1 in *[!0-9a-f]*) return 1 ;; esac
  [ ${#1} -eq 16 ]
}
kept() {
  case $keep in *" $1 "*) return 0 ;; esac
  return 1
}
unlisted=" "
consider() {
  if is_key "$1" && ! kept "$1"; then
    case $unlisted in *" $1 "*) ;; *) unlisted="$unlisted$1 " ;; esac
  fi
}
if [ -d "$root/models" ] && [ ! -L "$root/models" ]; then
  for path in "$root"/models/*; do
    if [ -d "$path" ] && [ ! -L "$path" ]; then consider "${path##*/}"; fi
  done
fi
if [ -d "$state" ] && [ ! -L "$state" ]; then
  for path in "$state"/*; do
    name=${path##*/}
    [ -L "$path" ] || consider "${name%%.*}"
  done
fi
[ "$unlisted" != " " ] || exit 0
mkdir -p "$state"
# The marker goes first: a folder that cannot be removed whole (files of another user) is then never
# taken for a complete copy. What cannot be removed is reported and left, and the pod goes on.
leftover() {
  echo "could not remove all of $1 (files of another user?): remove it by hand" >&2
}
for key in $unlisted; do
  exec 9>>"$state/$key.lock"
  flock 9
  rm -f "$state/$key.complete"
  if [ -d "$root/models/$key" ] && [ ! -L "$root/models/$key" ]; then
    echo "removing models/$key: no cache on this volume lists it"
    mv "$root/models/$key" "$state/$key.removed.$$" 2>/dev/null || leftover "$root/models/$key"
  fi
  for path in "$state/$key.removed."* "$state/$key.replaced."*; do
    [ -e "$path" ] || [ -L "$path" ] || continue
    rm -rf "$path" 2>/dev/null || leftover "$path"
  done
  for path in "$state/$key.partial."*; do
    [ -e "$path" ] || [ -L "$path" ] || continue
    if [ -L "$path" ] || [ ! -d "$path" ] || flock -n "$path" true; then
      rm -rf "$path" 2>/dev/null || leftover "$path"
    fi
  done
  for path in "$state/$key.attempt."*; do
    [ -e "$path" ] || [ -L "$path" ] || continue
    [ -e "$state/$key.partial.${path#"$state/$key.attempt."}" ] || rm -rf "$path" 2>/dev/null || leftover "$path"
  done
  exec 9>&-
done
