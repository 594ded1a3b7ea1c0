#!/bin/sh
# Installs the Debian packages teqlctl's lab and tests need, when they are missing (run as root).
# QEMU (software emulation) boots the lab routers; debootstrap and e2fsprogs build their disk image;
# the OpenSSH client is what the end-to-end tests use to read the routers directly; iproute2 (ip, tc)
# runs the unit test that rebuilds qdiscs in a network namespace.
set -eu
# busybox-static and dash: the unit tests run the router-side scripts under both shells.
# zsh: the unit tests check the zsh completion script (`teqlctl completion zsh`) with zsh itself.
# netbase: /etc/services, where ssh (and teqlctl, as ssh) finds a port written as a name (Port ssh).
PACKAGES="qemu-system-x86 qemu-utils debootstrap e2fsprogs openssh-client tmux ca-certificates busybox-static dash iproute2 zsh netbase"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages:$missing; run as root, or: sudo apt-get install$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
