#!/bin/sh
# The reference: the chapter done by hand with OpenSSH. One connection per router (ControlMaster),
# one round trip to configure and one to verify, both routers in parallel, the checks only once both
# are configured (both ends must take part).
#   run.sh KEY KNOWN_HOSTS PORT_A PORT_B
set -u
here=$(cd "$(dirname "$0")" && pwd)
key=$1 known=$2 port_a=$3 port_b=$4
ctl=$(mktemp -d)
to() {
  port=$1; shift
  ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$known" -o GlobalKnownHostsFile=/dev/null \
    -o IdentitiesOnly=yes -o LogLevel=ERROR -i "$key" -o ControlMaster=auto -o ControlPath="$ctl/%p" -o ControlPersist=60 \
    -p "$port" root@127.0.0.1 "$@"
}
both() { # $1: script name prefix; runs it on a and b at once
  to "$port_a" sh -s < "$here/$1-a.sh" & pa=$!
  to "$port_b" sh -s < "$here/$1-b.sh" & pb=$!
  ra=0; rb=0; wait $pa || ra=$?; wait $pb || rb=$?
  [ "$ra" -eq 0 ] || echo "$1 on a failed ($ra)" >&2
  [ "$rb" -eq 0 ] || echo "$1 on b failed ($rb)" >&2
  [ "$ra" -eq 0 ] && [ "$rb" -eq 0 ]
}
rc=0
both router || rc=1
[ "$rc" -eq 0 ] && { both verify || rc=2; }
to "$port_a" -O exit 2>/dev/null; to "$port_b" -O exit 2>/dev/null
rm -rf "$ctl"
exit $rc
