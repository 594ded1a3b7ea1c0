// The MTU the playbook sets at each end of a wire must be the same: a frame larger than the smaller
// one is dropped at that end, while the small verification pings still pass.
import type { SourcePos } from '../errors.js';
import type { Bundle } from './bundle-types.js';
import type { Placed } from './instantiate.js';
import type { Problems } from './problems.js';
import { formatPos } from './scope.js';

interface MtuSetting {
  mtu: number;
  pos: SourcePos;
  from: string;
}

/** Per host and device, the MTU the run leaves it with: the last `link` task that sets one. */
function settings(placed: readonly Placed[]): Map<string, MtuSetting> {
  const out = new Map<string, MtuSetting>();
  for (const p of placed) {
    const { instance } = p;
    if (instance.module !== 'link' || instance.args.mtu === undefined) continue;
    out.set(`${p.host}\0${instance.args.dev}`, { mtu: instance.args.mtu, ...p.argAt(['mtu']) });
  }
  return out;
}

const describe = (host: string, dev: string, s: MtuSetting | undefined): string =>
  s ? `${host} ${dev} gets mtu ${s.mtu} (at ${formatPos(s.pos)}${s.from ? `, ${s.from}` : ''})` : `${host} ${dev} gets no mtu setting`;

/** `placed` in playbook order. An end whose host runs no task is not compared: the run does not touch it. */
export function checkMtus(bundles: readonly Bundle[], placed: readonly Placed[], problems: Problems): void {
  const mtus = settings(placed);
  const running = new Set(placed.map((p) => p.host));
  for (const bundle of bundles) {
    const [a, b] = bundle.ends;
    if (!running.has(a.host) || !running.has(b.host)) continue;
    const wires = [...a.slaves.map((dev, i) => [dev, b.slaves[i]] as const), [a.device, b.device] as const];
    for (const [devA, devB] of wires) {
      if (devB === undefined) continue;
      const [ma, mb] = [mtus.get(`${a.host}\0${devA}`), mtus.get(`${b.host}\0${devB}`)];
      if (!ma && !mb) continue;
      if (ma?.mtu === mb?.mtu) continue;
      // Reported where the second setting is written, or at the only one.
      const at = mb ?? ma!;
      problems.add(
        `bundle ${bundle.name}: the two ends of a wire get different MTUs: ${describe(a.host, devA, ma)}, ${describe(b.host, devB, mb)}`,
        at.pos,
        'set the same mtu on both ends of each link and of the equalizer',
      );
    }
  }
}
