#!/usr/bin/env bash
# Builds the lab's second router flavour from the Debian root that build-image.sh just made: an
# initramfs with a BusyBox userland, dash as /bin/sh, iproute2's ip and tc, OpenSSH's sshd, and no
# systemd (a plain /init), as on OpenWrt-, Alpine- or embedded-style routers. Same kernel as the
# Debian flavour. BusyBox's applets are installed except sh, ip and tc, so that the pitfall real
# users meet is here too: BusyBox's `timeout` runs BusyBox's own shell, which prefers its applets.
#
# Usage: build-busybox-initrd.sh ROOT OUT KEYS_DIR      (root; ROOT is the debootstrapped folder)
set -euo pipefail
root=${1:?usage: build-busybox-initrd.sh ROOT OUT KEYS_DIR}
out=${2:?}
keys_dir=${3:?}
kver=$(basename "$(ls -d "$root"/lib/modules/*)")
# Assembled inside ROOT, so that its own depmod and cpio do the work (the host may have neither).
ir=$root/.teqllab-initrd
rm -rf "$ir"
trap 'rm -rf "$ir"' EXIT

mkdir -p "$ir"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,root/.ssh,proc,sys,dev,run,tmp,var/lib,var/empty,etc/teqllab,etc/ssh}
chmod 1777 "$ir/tmp"
chmod 700 "$ir/root" "$ir/root/.ssh"

# A program from the Debian root, with the shared libraries its dynamic linker loads.
copy_prog() {
  local src=$1 dst=$2
  install -D -m 755 "$root$src" "$ir$dst"
  # What ldd prints, from the dynamic loader itself (ldd is not in a minbase root).
  chroot "$root" /lib64/ld-linux-x86-64.so.2 --list "$src" | grep -o '/[^ ]*' | while read -r lib; do
    [[ -e $ir$lib ]] || install -D -m 755 "$root$(readlink -f "$root$lib" | sed "s|^$root||")" "$ir$lib"
  done
}
copy_prog /usr/bin/dash /bin/dash
ln -s dash "$ir/bin/sh"
copy_prog /usr/bin/ip /usr/sbin/ip # in /usr/sbin, as on Alpine and OpenWrt
copy_prog /usr/sbin/tc /usr/sbin/tc
copy_prog /usr/sbin/sshd /usr/sbin/sshd
copy_prog /usr/bin/ping /usr/bin/ping
install -m 755 "$root/bin/busybox" "$ir/bin/busybox"
# The kernel asks /sbin/modprobe for modules it needs (tc's qdisc and filter kinds).
ln -s ../bin/busybox "$ir/sbin/modprobe"
for applet in $(chroot "$root" /bin/busybox --list); do
  case $applet in sh|ash|ip|tc|busybox|ping|ping6|init|linuxrc) continue ;; esac
  [[ -e $ir/bin/$applet ]] || ln -s busybox "$ir/bin/$applet"
done

# The kernel modules a router needs, with modules.dep so BusyBox's modprobe resolves dependencies
# (ingress, matchall and gact: the tests drop a link's traffic with them, as on the Debian flavour).
mdir=lib/modules/$kver
for m in kernel/drivers/virtio kernel/drivers/net/virtio_net.ko kernel/drivers/net/net_failover.ko \
  kernel/net/core/failover.ko kernel/drivers/net/dummy.ko kernel/net/sched/sch_teql.ko \
  kernel/net/sched/sch_ingress.ko kernel/net/sched/cls_matchall.ko kernel/net/sched/act_gact.ko; do
  mkdir -p "$ir/$mdir/$(dirname "$m")"
  cp -a "$root/$mdir/$m" "$ir/$mdir/$(dirname "$m")/"
done
cp "$root/$mdir/modules.order" "$root/$mdir/modules.builtin" "$root/$mdir/modules.builtin.modinfo" "$ir/$mdir/" 2>/dev/null || true
chroot "$root" depmod -b /.teqllab-initrd "$kver"
[[ -s $ir/$mdir/modules.dep ]] || { echo "build-busybox-initrd: depmod made no modules.dep" >&2; exit 1; }

for r in a b; do
  install -m 600 "$keys_dir/host_$r" "$ir/etc/teqllab/host_$r"
  install -m 644 "$keys_dir/host_$r.pub" "$ir/etc/teqllab/host_$r.pub"
done
install -m 600 "$keys_dir/id_ed25519.pub" "$ir/root/.ssh/authorized_keys"
printf 'root:x:0:0:root:/root:/bin/sh\nsshd:x:100:65534::/run/sshd:/bin/false\n' >"$ir/etc/passwd"
printf 'root:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\n' >"$ir/etc/shadow" # '*', not '!': sshd refuses locked accounts
chmod 600 "$ir/etc/shadow"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ir/etc/group"
printf 'passwd: files\ngroup: files\nshadow: files\n' >"$ir/etc/nsswitch.conf"
cat >"$ir/etc/ssh/sshd_config" <<'EOF'
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PidFile /run/sshd.pid
EOF

cat >"$ir/init" <<'EOF'
#!/bin/sh
# teqllab busybox flavour: no systemd. Mounts, loads the NIC and teql modules, gives this boot its
# identity from teqllab.router= (hostname, host key, management and LAN addresses), starts sshd.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts; mount -t devpts devpts /dev/pts; mount -t tmpfs run /run
router=$(sed -n 's/.*teqllab\.router=\([ab]\).*/\1/p' /proc/cmdline)
case $router in a) idx=1 lan=192.0.2.1/24 ;; b) idx=2 lan=198.51.100.1/24 ;; *) echo "no teqllab.router=" ; idx=1 lan=192.0.2.1/24 ;; esac
hostname "router-$router"; echo "router-$router" >/etc/hostname
modprobe virtio_pci; modprobe virtio_net; modprobe dummy numdummies=0
# What many distributions ship (the kernel uses max(all, iface)); new interfaces inherit default.
echo 2 >/proc/sys/net/ipv4/conf/all/rp_filter; echo 2 >/proc/sys/net/ipv4/conf/default/rp_filter
ip link set lo up
for d in /sys/class/net/*; do
  n=${d##*/}
  [ "$(cat "$d/address")" = "52:54:00:7e:0$idx:00" ] && mgmt=$n
done
ip addr add 10.0.2.15/24 dev "$mgmt"; ip link set "$mgmt" up; ip route add default via 10.0.2.2
ip link add lan0 address "52:54:00:7e:0$idx:10" type dummy; ip addr add "$lan" dev lan0; ip link set lan0 up
cp "/etc/teqllab/host_$router" /etc/ssh/ssh_host_ed25519_key; chmod 600 /etc/ssh/ssh_host_ed25519_key
mkdir -p /run/sshd /var/lib; chmod 755 /run/sshd
/usr/sbin/sshd -r -E /run/sshd.log && echo "teqllab: router-$router (busybox) ready: sshd started"
# PID 1 must not exit: reap orphans and wait; `reboot` (BusyBox) restarts the guest.
trap 'reboot -f' TERM
while :; do sleep 3600; done
EOF
chmod 755 "$ir/init"

chroot "$root" sh -c 'cd /.teqllab-initrd && find . -print0 | cpio --null -o -H newc --quiet' | gzip -1 >"$out"
echo "busybox initrd: $out ($(du -h "$out" | cut -f1), kernel $kver)"
