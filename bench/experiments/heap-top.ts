// Which constructors hold a heap snapshot's memory (self size, summed by name), largest first.
//   npx tsx bench/experiments/heap-top.ts <file.heapsnapshot> [N]
import { readFileSync } from 'node:fs';

const [file, top = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: heap-top.ts <file.heapsnapshot> [N]');
const snap = JSON.parse(readFileSync(file, 'utf8'));
const fields: string[] = snap.snapshot.meta.node_fields;
const types: string[] = snap.snapshot.meta.node_types[0];
const width = fields.length;
const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
const sums = new Map<string, { size: number; count: number }>();
for (let i = 0; i < snap.nodes.length; i += width) {
  const type = types[snap.nodes[i + iType!]]!;
  const name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + iName!]] : `(${type})`;
  const s = sums.get(name) ?? { size: 0, count: 0 };
  s.size += snap.nodes[i + iSize!];
  s.count++;
  sums.set(name, s);
}
const rows = [...sums].sort((a, b) => b[1].size - a[1].size).slice(0, Number(top));
for (const [name, s] of rows) console.log(`${(s.size / 2 ** 20).toFixed(1).padStart(7)} MB ${String(s.count).padStart(8)}  ${name}`);
