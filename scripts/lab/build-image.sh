#!/usr/bin/env bash
# Builds the lab's base disk image: a minimal Debian 12 router that QEMU boots with an external
# kernel. Both routers share it read-only (each runs on its own qcow2 overlay); the kernel cmdline
# (teqllab.router=a|b) gives each boot its identity.
#
# Usage: build-image.sh IMAGE_DIR [KEYS_DIR]      (root: debootstrap needs it)
# Writes IMAGE_DIR/base.img, vmlinuz, initrd.img. Keys missing from KEYS_DIR (default
# IMAGE_DIR/../keys) are generated; existing ones are kept so known_hosts and logins survive rebuilds.
set -euo pipefail

image_dir=${1:?usage: build-image.sh IMAGE_DIR [KEYS_DIR]}
keys_dir=${2:-$image_dir/../keys}
mirror=${TEQLCTL_LAB_MIRROR:-http://deb.debian.org/debian}
# linux-image-cloud-amd64 ships sch_teql.ko (checked with dpkg -c) and is smaller than linux-image-amd64.
# busybox-static and cpio: for the busybox flavour's initramfs, built from this root (build-busybox-initrd.sh).
# opendoas: doas, Alpine's way to become root, beside sudo (operator may use either).
include=systemd-sysv,openssh-server,iproute2,kmod,iputils-ping,procps,sudo,udev,linux-image-cloud-amd64,busybox-static,cpio,opendoas

if [[ $EUID -ne 0 ]]; then
  echo "build-image.sh: must run as root (debootstrap needs it): sudo $0 $*" >&2
  exit 1
fi

mkdir -p "$image_dir" "$keys_dir"
image_dir=$(cd "$image_dir" && pwd)
keys_dir=$(cd "$keys_dir" && pwd)
work=$(mktemp -d "$image_dir/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
step() { printf '[build-image %(%T)T] %s\n' -1 "$*"; }

step "keys in $keys_dir"
[[ -f $keys_dir/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C teqllab -f "$keys_dir/id_ed25519"
for r in a b h; do
  [[ -f $keys_dir/host_$r ]] || ssh-keygen -q -t ed25519 -N '' -C "router-$r" -f "$keys_dir/host_$r"
done
if [[ ! -s $keys_dir/operator-sudo-password ]]; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$keys_dir/operator-sudo-password")
fi

step "debootstrap bookworm (minbase) from $mirror"
# Keep the downloaded .debs so that a rebuild after a script change does not fetch them again.
mkdir -p "$image_dir/debs"
debootstrap --variant=minbase --include="$include" --cache-dir="$image_dir/debs" \
  bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

step "configure the router"
# One image, two routers: the identity unit below fills these in per boot.
echo router >"$root/etc/hostname"
: >"$root/etc/resolv.conf" # no DNS on the lab's restricted management network
echo '/dev/vda / ext4 rw,noatime 0 0' >"$root/etc/fstab"

install -d -m 700 "$root/etc/teqllab"
for r in a b h; do
  install -m 600 "$keys_dir/host_$r" "$root/etc/teqllab/host_$r"
  install -m 644 "$keys_dir/host_$r.pub" "$root/etc/teqllab/host_$r.pub"
done
rm -f "$root"/etc/ssh/ssh_host_* # the package's own keys: each router gets its known one instead

install -m 755 /dev/stdin "$root/usr/local/sbin/teqllab-identity" <<'SCRIPT'
#!/bin/sh
# Gives this boot of the shared base image its identity, from teqllab.router= on the kernel cmdline.
set -eu
router=$(sed -n 's/.*teqllab\.router=\([abh]\)\b.*/\1/p' /proc/cmdline)
case $router in
  a) idx=1 lan=192.0.2.1/24 sudo_rule='operator ALL=(ALL:ALL) ALL' doas_rule='permit operator as root' ;;
  b) idx=2 lan=198.51.100.1/24 sudo_rule='operator ALL=(ALL:ALL) NOPASSWD: ALL' doas_rule='permit nopass operator as root' ;;
  # h: the hub of `lab up --routers 3`, its LAN network 3 (TEST-NET-3).
  h) idx=3 lan=203.0.113.1/24 sudo_rule='operator ALL=(ALL:ALL) NOPASSWD: ALL' doas_rule='permit nopass operator as root' ;;
  *) echo "teqllab-identity: kernel cmdline lacks teqllab.router=a|b|h" >&2; exit 1 ;;
esac
name=router-$router
echo "$name" >/etc/hostname
echo "$name" >/proc/sys/kernel/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$name" >/etc/hosts

install -m 600 "/etc/teqllab/host_$router" /etc/ssh/ssh_host_ed25519_key
install -m 644 "/etc/teqllab/host_$router.pub" /etc/ssh/ssh_host_ed25519_key.pub

# In /run so that nothing of it outlives the boot. The management NIC is matched by its MAC (set
# by QEMU), not by name: it is eth0 with net.ifnames=0 and ens3 without, from the same image. The
# link NICs match no file and stay unmanaged (down).
mkdir -p /run/systemd/network
cat >/run/systemd/network/10-mgmt.network <<EOF
[Match]
MACAddress=52:54:00:7e:0$idx:00
[Network]
Address=10.0.2.15/24
Gateway=10.0.2.2
LinkLocalAddressing=no
IPv6AcceptRA=no
EOF
cat >/run/systemd/network/20-lan0.netdev <<EOF
[NetDev]
Name=lan0
Kind=dummy
MACAddress=52:54:00:7e:0$idx:10
EOF
cat >/run/systemd/network/20-lan0.network <<EOF
[Match]
Name=lan0
[Network]
Address=$lan
LinkLocalAddressing=no
IPv6AcceptRA=no
EOF

# teqllab.links=networkd (lab up --link-manager networkd): networkd manages the link NICs too, as
# on many real routers; they come up without addresses, and teqlctl persists with drop-ins.
if grep -q 'teqllab\.links=networkd' /proc/cmdline; then
  for k in 1 2 3 4; do
    cat >/run/systemd/network/30-link$k.network <<EOF
[Match]
MACAddress=52:54:00:7e:0$idx:0$k
[Link]
RequiredForOnline=no
[Network]
LinkLocalAddressing=no
IPv6AcceptRA=no
EOF
  done
fi

printf '%s\n' "$sudo_rule" >/etc/sudoers.d/teqllab-operator
# doas as on Alpine: a password on a (doas asks on a terminal), none on b.
printf '%s\n' "$doas_rule" >/etc/doas.conf
chmod 400 /etc/doas.conf
chmod 440 /etc/sudoers.d/teqllab-operator
SCRIPT

cat >"$root/etc/systemd/system/teqllab-identity.service" <<'UNIT'
[Unit]
Description=teqllab router identity (hostname, SSH host key, network, sudoers) from the kernel cmdline
DefaultDependencies=no
After=local-fs.target
Before=sysinit.target network-pre.target systemd-networkd.service ssh.service
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/teqllab-identity

[Install]
WantedBy=sysinit.target
UNIT

# networkd must never undo what the playbook engine configures on the links it does not manage.
mkdir -p "$root/etc/systemd/networkd.conf.d"
cat >"$root/etc/systemd/networkd.conf.d/teqllab.conf" <<'EOF'
[Network]
ManageForeignRoutes=no
ManageForeignRoutingPolicyRules=no
EOF

cat >"$root/etc/ssh/sshd_config.d/teqllab.conf" <<'EOF'
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
# No PAM session per login (loginuid, limits, env, the motd scripts): with the re-exec below, a
# login and `true` took 1.87 s here under software emulation, 0.75 s without both (2026-12-02).
# teqlctl opens two connections per router and run, the tests hundreds: the suite's biggest cost
# after the routers' own work. sudo and doas keep their own PAM; nothing teqlctl does depends on it.
UsePAM no
EOF
# sshd -r: the listener's child serves the connection itself instead of executing sshd afresh (and
# loading libcrypto again) for every login. OpenSSH 9.2's flag; real routers keep the re-exec.
mkdir -p "$root/etc/systemd/system/ssh.service.d"
printf '[Service]\nExecStart=\nExecStart=/usr/sbin/sshd -D -r $SSHD_OPTS\n' >"$root/etc/systemd/system/ssh.service.d/teqllab.conf"

# What many distributions ship; the playbook must cope with it (the kernel uses max(all, iface)).
cat >"$root/etc/sysctl.d/60-teqllab-rp-filter.conf" <<'EOF'
net.ipv4.conf.all.rp_filter = 2
net.ipv4.conf.default.rp_filter = 2
EOF
# networkd loads `dummy` for lan0; without this the module also creates a stray dummy0.
echo 'options dummy numdummies=0' >"$root/etc/modprobe.d/teqllab-dummy.conf"

# Unit status lines on the serial console despite `quiet` (systemd lets system.conf win): the console
# log then shows how far a slow or failed boot got.
mkdir -p "$root/etc/systemd/system.conf.d"
printf '[Manager]\nShowStatus=yes\n' >"$root/etc/systemd/system.conf.d/teqllab.conf"

# The journal only in RAM: faster boots, and no state survives in the overlay.
mkdir -p "$root/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\n' >"$root/etc/systemd/journald.conf.d/teqllab.conf"

step "users"
chroot "$root" useradd -m -s /bin/bash -g operator -G sudo operator # Debian has group operator (37)
printf 'operator:%s\n' "$(cat "$keys_dir/operator-sudo-password")" | chroot "$root" chpasswd
for home in root home/operator; do
  install -d -m 700 "$root/$home/.ssh"
  install -m 600 "$keys_dir/id_ed25519.pub" "$root/$home/.ssh/authorized_keys"
done
chroot "$root" chown -R operator:operator /home/operator/.ssh

step "services"
systemctl --root="$root" enable systemd-networkd.service teqllab-identity.service >/dev/null 2>&1
# Nothing a lab router needs, and each costs boot time under software emulation.
systemctl --root="$root" mask \
  apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer fstrim.timer \
  e2scrub_all.timer e2scrub_reap.service systemd-networkd-wait-online.service \
  systemd-timesyncd.service getty@tty1.service serial-getty@ttyS0.service \
  systemd-journal-flush.service >/dev/null 2>&1
# Nor these: a console login, kernel debug and hugepage mounts, modules nothing here uses, utmp, the
# random seed (the kernel seeds itself), pstore. Boot to SSH 51 -> 36 s, a reboot 85-115 -> 50-60 s
# (with the initramfs below): the reboot tests' wait, twice per router in some (2026-12-02).
systemctl --root="$root" mask \
  getty-static.service dev-hugepages.mount dev-mqueue.mount sys-kernel-debug.mount \
  sys-kernel-tracing.mount sys-fs-fuse-connections.mount sys-kernel-config.mount \
  modprobe@dm_mod.service modprobe@efi_pstore.service modprobe@fuse.service modprobe@loop.service \
  modprobe@configfs.service modprobe@drm.service kmod-static-nodes.service systemd-random-seed.service \
  systemd-update-utmp.service systemd-update-utmp-runlevel.service systemd-pstore.service >/dev/null 2>&1
systemctl --root="$root" set-default multi-user.target >/dev/null 2>&1

step "debian flavour: a small initramfs (the root disk's driver, then systemd)"
bash "$(dirname "$0")/build-boot-initrd.sh" "$root" "$work/initrd.img"

step "busybox flavour: initramfs from this root"
bash "$(dirname "$0")/build-busybox-initrd.sh" "$root" "$work/busybox-initrd.img" "$keys_dir"

step "shrink"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*

step "kernel, initrd, ext4 image"
cp -L "$root"/boot/vmlinuz-* "$work/vmlinuz"
# Debian's own initramfs stays unused in /boot: build-boot-initrd.sh made the one QEMU loads.
# Sparse 1.5 GiB, filled from the folder by mke2fs itself: no loop mount needed.
mke2fs -q -t ext4 -L teqllab-root -d "$root" -F "$work/base.img" 1536M >/dev/null
chmod 444 "$work/base.img" # the overlays' backing file: never written
mv -f "$work/base.img" "$work/vmlinuz" "$work/initrd.img" "$work/busybox-initrd.img" "$image_dir/"
step "done: $image_dir/base.img"
