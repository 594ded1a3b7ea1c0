// The HOWTO's drawing of A and B, with the real interface names, addresses and networks. Pure.
import { ipOf, type WizardModel } from './model.js';

const BOX = 7; // `+-----+`

export function drawTopology(m: WizardModel): string {
  const n = m.links.length;
  const internet = m.networks.kind === 'internet';
  const net1 = m.networks.network1;
  const net2 = m.networks.kind === 'two' ? m.networks.network2 : 'the Internet';
  const leftW = Math.max(net1.length, '(network 1)'.length);
  const x = leftW + 5; // column of A's box: label, a space, `----`
  const wires = m.links.map((l, i) => ({ left: `== ${l.a} ${m.addressing.links[i]!.a} `, right: ` ${m.addressing.links[i]!.b} ${l.b} ==` }));
  const w = Math.max(...wires.map((s) => s.left.length + s.right.length)) + 4;

  const rows: string[] = [];
  const border = ' '.repeat(x) + '+-----+' + ' '.repeat(w) + '+-----+';
  const mid = n - 1; // interior rows: link i on row 2i, blanks between; the labels sit on the middle row
  rows.push(' '.repeat(x) + `${m.a.name}: ${m.a.user}@${m.a.host}:${m.a.port}`.padEnd(BOX + w) + `${m.b.name}: ${m.b.user}@${m.b.host}:${m.b.port}`);
  rows.push(border);
  for (let r = 0; r < 2 * n - 1; r++) {
    const left = r === mid ? net1.padStart(leftW) + ' ----' : r === mid + 1 ? '(network 1)'.padStart(leftW) + '     ' : ' '.repeat(x);
    const letterA = r === mid ? '|  A  |' : '|     |';
    const letterB = r === mid ? '|  B  |' : '|     |';
    const wire = r % 2 === 0 ? wires[r / 2]! : undefined;
    const middle = wire ? wire.left + '='.repeat(w - wire.left.length - wire.right.length) + wire.right : ' '.repeat(w);
    const right = r === mid ? `---- ${net2}` : r === mid + 1 ? `     (network 2)` : '';
    rows.push(left + letterA + middle + letterB + right);
  }
  rows.push(border);
  const ta = `teql0 ${m.addressing.teql.a}`;
  const tb = `teql0 ${m.addressing.teql.b}`;
  const span = 2 * BOX + w;
  const fill = Math.max(4, span - ta.length - tb.length - ' <> '.length - ' equalizer '.length);
  const arrow = ' <' + '='.repeat(Math.floor(fill / 2)) + ' equalizer ' + '='.repeat(Math.ceil(fill / 2)) + '> ';
  rows.push(' '.repeat(x) + ta + arrow + tb);
  const routeA = `A: ${internet ? 'default' : net2} via ${ipOf(m.addressing.teql.b)}`;
  const routeB = `B: ${net1} via ${ipOf(m.addressing.teql.a)}`;
  rows.push(' '.repeat(x) + `routes: ${routeA}, ${routeB}`);
  return rows.map((r) => r.trimEnd()).join('\n');
}
