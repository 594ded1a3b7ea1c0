import { describe, expect, it } from 'vitest';
import { escapeXml, niceStep, renderSvg, ticks } from '../../bench/report/svg.js';

const input = {
  title: 'teqlctl bench <test> & co',
  subtitle: 'sub',
  machine: '2 cores, AMD "EPYC"',
  bars: [
    { label: 'teqlctl: cold apply', median: 4.5, min: 4.2, max: 5, floor: 0.8, kind: 'teqlctl' as const },
    { label: 'reference script: cold', median: 3.8, min: 3.7, max: 3.9, kind: 'reference' as const },
  ],
  fleet: [{ label: '--forks 200', points: [[10, 0.5], [100, 1.6], [500, 5.5]] as Array<[number, number]> }],
  fleetTarget: { hosts: 500, seconds: 20 },
};

describe('bench SVG chart', () => {
  it('ticks step by 1, 2 or 5 times a power of ten and cover the maximum', () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(0.9, 6)).toBe(0.2);
    expect(niceStep(480, 6)).toBe(100);
    expect(ticks(9.5, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(0)).toEqual([0, 1]);
  });

  it('escapes text for XML', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
  });

  it('renders one well-formed SVG with both panels, the floor, the target and the machine', () => {
    const svg = renderSvg(input);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('teqlctl bench &lt;test&gt; &amp; co');
    expect(svg).toContain('2 cores, AMD &quot;EPYC&quot;');
    expect(svg).toContain('SIMULATED fleet');
    expect(svg).toContain('class="floor"');
    expect(svg).toContain('target: 500 hosts in at most 20 s');
    expect(svg).toContain('--forks 200 (5.5 s)');
    expect(svg.match(/<rect [^>]*class="(teqlctl|reference)"/g)).toHaveLength(2);
    // No NaN or Infinity leaks into coordinates.
    expect(svg).not.toMatch(/NaN|Infinity/);
    // Every opened element is closed: count tags that are not self-closing.
    const opened = (svg.match(/<(svg|text|style)\b/g) ?? []).length;
    const closed = (svg.match(/<\/(svg|text|style)>/g) ?? []).length;
    expect(opened).toBe(closed);
  });

  it('leaves out a panel without data', () => {
    const svg = renderSvg({ ...input, fleet: [] });
    expect(svg).not.toContain('SIMULATED fleet');
    expect(svg).toContain('Wall time per phase');
  });
});
