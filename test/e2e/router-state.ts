// Reads a lab router directly over OpenSSH (not through teqlctl), as an operator would check it.
// Only non-default root qdiscs are listed: tc hides the noop of a never-activated link but shows
// the pfifo_fast it gets once it was up, and both are the same kernel default (handle 0:).
// Builtins where they do (read, not $(cat); awk's sub, not sed): an emulated router starts a
// process in ~30 ms, and the fault matrix reads both routers a few times per row.
import type { LabRouter as Router } from '../../src/lab/topology.js';
import { sshRun } from './lab.js';

export const STATE_SCRIPT = `
export LANG=C
echo "## links"; ip -br link show | awk '{l = $1 " " $2; sub(/@.*/, "", l); print l}' | sort
echo "## mtu"; ip -o link show | awk '{print $2, $5}' | sort
echo "## addresses"; ip -4 -o addr show | awk '{print $2, $4}' | sort
echo "## routes"; ip -4 route show table main | sort
echo "## root qdiscs"; tc qdisc show | awk '/ root / && $3 != "0:" { print $5, $2 }' | sort
echo "## sch_teql"; if [ -d /sys/module/sch_teql ]; then echo loaded; else echo not loaded; fi
echo "## rp_filter"; for f in /proc/sys/net/ipv4/conf/*/rp_filter; do v=; read -r v < "$f"; echo "$f $v"; done
`;

export async function readState(router: Router): Promise<string> {
  const r = await sshRun(router, STATE_SCRIPT);
  if (r.code !== 0) throw new Error(`reading router ${router} failed: ${r.stderr}`);
  return r.stdout;
}

export async function txPackets(router: Router, dev: string): Promise<number> {
  const r = await sshRun(router, `ip -j -s link show dev ${dev}`);
  return Number(JSON.parse(r.stdout)[0].stats64.tx.packets);
}
