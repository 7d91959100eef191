#!/bin/sh
# serveOnlyWhenReady's node-label step (docs/node-readiness.md): one merge patch of this pod's own Node's
# readiness labels, with the projected ServiceAccount token mounted into this step only. Runs in
# nodeLabelImage (curl), with the node group's volume mounted read-only at /mnt/models.
#
# Usage: node-label.sh <phase> <volume tag> <storage keys...> [--keep <keys...>]
# Env:   NODE_NAME (downward API spec.nodeName), KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT.
#
# Phase `before` removes the label of every listed key whose copy is not complete (a wiped disk, a new
# model); phase `after` sets it on every complete one. With --keep, `after` also removes this volume's
# labels of keys not kept (models the cleanup step removed). No patch when nothing changes.
# The label is models.kserve-localmodel.dev/<key>.<tag> (READY_LABEL_PREFIX in fn/build/node-readiness.ts).
set -eu
phase=$1 tag=$2
shift 2
own='' keep='' prune=''
for arg; do
  case $arg in
    --keep) prune=1 ;;
    *) if [ -n "$prune" ]; then keep="$keep $arg "; else own="$own $arg"; fi ;;
  esac
done
root=/mnt/models
state=$root/.kserve-localmodel-fn
sa=/var/run/secrets/kubernetes.io/serviceaccount
host=$KUBERNETES_SERVICE_HOST
case $host in *:*) host="[$host]" ;; esac
node_url="https://$host:$KUBERNETES_SERVICE_PORT/api/v1/nodes/$NODE_NAME"
api() {
  printf 'Authorization: Bearer %s\n' "$(cat "$sa/token")" |
    curl -sS --fail-with-body --cacert "$sa/ca.crt" -H @- "$@" "$node_url"
}
labels=''
set_label() { labels="${labels:+$labels,}\"models.kserve-localmodel.dev/$1.$tag\":$2"; }
for key in $own; do
  if [ -d "$root/models/$key" ] && [ ! -L "$root/models/$key" ] && [ -f "$state/$key.complete" ]; then
    if [ "$phase" = after ]; then set_label "$key" '"ready"'; fi
  else
    set_label "$key" null
  fi
done
if [ "$phase" = after ] && [ -n "$prune" ]; then
  current=$(api)
  for key in $(printf '%s' "$current" | grep -o '"models\.kserve-localmodel\.dev/[0-9a-f]\{16\}\.'"$tag"'"' | cut -c31- | cut -c1-16); do
    case "$keep $own " in *" $key "*) ;; *) set_label "$key" null ;; esac
  done
fi
if [ -z "$labels" ]; then
  echo "node $NODE_NAME: readiness labels already right"
  exit 0
fi
api -X PATCH -H 'Content-Type: application/merge-patch+json' --data "{\"metadata\":{\"labels\":{$labels}}}" >/dev/null
echo "node $NODE_NAME: labels {$labels}"
