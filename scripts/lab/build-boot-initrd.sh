#!/usr/bin/env bash
# Builds the Debian flavour's initramfs: BusyBox and the six virtio modules the root disk needs, and
# an /init that loads them, mounts /dev/vda and hands over to systemd. Debian's own initramfs (16 MB,
# udev inside) took ~6 s of every boot under software emulation and its kernel ~3 s more to unpack;
# this one ~0.5 s. Nothing a router keeps is in it: teqlctl's boot files, modules-load.d and the
# units all run after the switch, from the root disk, as on any Debian router.
#
# Usage: build-boot-initrd.sh ROOT OUT      (root; ROOT is the debootstrapped folder)
set -euo pipefail
root=${1:?usage: build-boot-initrd.sh ROOT OUT}
out=${2:?}
kver=$(basename "$(ls -d "$root"/lib/modules/*)")
ir=$root/.teqllab-boot-initrd
rm -rf "$ir"
trap 'rm -rf "$ir"' EXIT
mkdir -p "$ir"/{bin,proc,sys,dev,newroot,modules}
install -m 755 "$root/bin/busybox" "$ir/bin/busybox"

# In the order of their dependencies (modules.dep): no modprobe needed.
modules=(virtio virtio_ring virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk)
builtin=$root/lib/modules/$kver/modules.builtin
wanted=()
for m in "${modules[@]}"; do
  # A kernel built with the driver inside needs no module for it.
  if [[ -f $builtin ]] && grep -q "/$m\.ko\$" "$builtin"; then continue; fi
  wanted+=("$m")
  f=$(find "$root/lib/modules/$kver/kernel/drivers" -name "$m.ko*" | head -n 1)
  [[ -n $f ]] || { echo "build-boot-initrd: no $m module in $kver" >&2; exit 1; }
  # BusyBox's insmod takes plain .ko files only.
  case $f in
    *.ko) cp "$f" "$ir/modules/$m.ko" ;;
    *.ko.xz) xz -dc "$f" >"$ir/modules/$m.ko" ;;
    *.ko.zst) zstd -qdc "$f" >"$ir/modules/$m.ko" ;;
    *) echo "build-boot-initrd: cannot unpack $f" >&2; exit 1 ;;
  esac
done

cat >"$ir/init" <<EOF
#!/bin/busybox sh
# teqllab: load the root disk's driver, mount it as the kernel cmdline's rw root, start systemd.
bb=/bin/busybox
\$bb mount -t proc proc /proc
\$bb mount -t devtmpfs devtmpfs /dev
for m in ${wanted[*]}; do \$bb insmod /modules/\$m.ko || echo "teqllab initrd: insmod \$m failed"; done
i=0
while [ ! -b /dev/vda ] && [ \$i -lt 300 ]; do \$bb usleep 100000; i=\$((i + 1)); done
if ! \$bb mount -t ext4 -o rw,noatime /dev/vda /newroot; then
  # Nobody types on the lab's console (a file): power off, so that the lab says so at once
  # instead of waiting for a boot that cannot come.
  echo "teqllab initrd: cannot mount /dev/vda; powering off"
  exec \$bb poweroff -f
fi
\$bb umount /proc
\$bb mount --move /dev /newroot/dev
exec \$bb switch_root /newroot /sbin/init
EOF
chmod 755 "$ir/init"

chroot "$root" sh -c 'cd /.teqllab-boot-initrd && find . -print0 | cpio --null -o -H newc --quiet' | gzip -1 >"$out"
echo "boot initrd: $out ($(du -h "$out" | cut -f1), kernel $kver)"
