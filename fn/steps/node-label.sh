#!/bin/sh
# serveOnlyWhenReady's labeler (docs/node-readiness.md): the one container of a labeler pod, on every
# node of a node group, running as the package's labeler ServiceAccount with a projected token bound to
# its pod. Each round it reads its own Node's labels and sends one merge patch when they are not right:
#   - a listed cache whose current model folder is complete: its label is `ready`;
#   - a listed cache whose copy is not (a new URI still downloading, a wiped disk): no label;
#   - a label of this package on this volume whose cache is neither listed nor kept: removed;
#   - a label of ours with any other value than `ready` was set by an operator ("hold"): left alone.
# Runs in nodeLabelImage (curl), with the node group's volume mounted read-only at /mnt/models.
#
# Usage: node-label.sh <every> <package tag> <volume tag> <cache tag>=<storage key>... [--keep <cache tag>...]
#   <every> is the seconds between rounds, or `once` for one round (tests).
# Env:   NODE_NAME (downward API spec.nodeName), KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT.
# The label is models.kserve-localmodel.dev/<package>.<cache>.<volume> (fn/names/readiness.ts).
set -eu
every=$1 pkg=$2 tag=$3
shift 3
own='' keep='' keeping=''
for arg; do
  case $arg in
    --keep) keeping=1 ;;
    *) if [ -n "$keeping" ]; then keep="$keep $arg "; else own="$own $arg"; fi ;;
  esac
done
root=/mnt/models
state=$root/.kserve-localmodel-fn
sa=/var/run/secrets/kubernetes.io/serviceaccount
host=$KUBERNETES_SERVICE_HOST
case $host in *:*) host="[$host]" ;; esac
node_url="https://$host:$KUBERNETES_SERVICE_PORT/api/v1/nodes/$NODE_NAME"
prefix="models.kserve-localmodel.dev/$pkg."
api() {
  printf 'Authorization: Bearer %s\n' "$(cat "$sa/token")" |
    curl -sS --fail-with-body --cacert "$sa/ca.crt" -H @- "$@" "$node_url"
}

is_complete() {
  [ -d "$root/models/$1" ] && [ ! -L "$root/models/$1" ] && [ -f "$state/$1.complete" ]
}
# The patch's labels, and a label's value on the Node as the round read it ('' when absent).
change() { labels="${labels:+$labels,}\"$prefix$1.$tag\":$2"; }
value() { printf '%s\n' "$have" | sed -n "s/^$1=//p"; }

round() {
  # Metadata only: a Node's status (its image list) can be large, and it is read every round.
  if ! current=$(api -H 'Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json'); then
    printf 'node %s: cannot read its labels: %s\n' "$NODE_NAME" "$current" >&2
    exit 1
  fi
  # `<cache tag>=<value>` for each label of this package on this volume; label values hold no quotes.
  have=$(printf '%s' "$current" |
    grep -o "\"models\\.kserve-localmodel\\.dev/$pkg\\.[0-9a-f]\\{16\\}\\.$tag\":\"[^\"]*\"" |
    sed 's/^"[^/]*\/[0-9a-f]*\.\([0-9a-f]*\)\.[0-9a-f]*":"\([^"]*\)"$/\1=\2/') || true
  labels=''
  for entry in $own; do
    cache=${entry%%=*} key=${entry#*=}
    was=$(value "$cache")
    if is_complete "$key"; then
      [ -n "$was" ] || change "$cache" '"ready"'
    elif [ "$was" = ready ]; then
      change "$cache" null
    fi
  done
  for entry in $have; do
    cache=${entry%%=*}
    case "$own $keep " in *" $cache="* | *" $cache "*) continue ;; esac
    [ "${entry#*=}" != ready ] || change "$cache" null
  done
  if [ -z "$labels" ]; then return; fi
  # A refusal's reason (RBAC, the admission policy) is in the answer's body: it goes to the log.
  if ! answer=$(api -X PATCH -H 'Content-Type: application/merge-patch+json' \
    --data "{\"metadata\":{\"labels\":{$labels}}}"); then
    printf 'node %s: labels {%s} refused: %s\n' "$NODE_NAME" "$labels" "$answer" >&2
    exit 1
  fi
  echo "node $NODE_NAME: labels {$labels}"
}

echo "node $NODE_NAME: keeping the readiness labels of$own right${keep:+, keeping those of$keep}"
round
if [ "$every" = once ]; then exit 0; fi
while sleep "$every"; do round; done
