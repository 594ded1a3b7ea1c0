// Inventories and playbooks must be UTF-8: the first byte that is not is found, whatever kind of
// bad sequence it starts (a Latin-1 letter, a cut sequence, an overlong form, a surrogate).
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from '../../src/load/yaml-guard.js';

const at = (bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes), bytes.length);
const text = (s: string) => [...Buffer.from(s, 'utf8')];

describe('the first byte that is not UTF-8', () => {
  it('none in ASCII, accented letters, CJK and emoji', () => {
    expect(at(text('ansible_host: 10.0.0.1 # café 東京 🚀\n'))).toBe(-1);
  });

  it('a Latin-1 letter, a sequence cut short or at the end, a stray continuation byte', () => {
    expect(at([...text('caf'), 0xe9, 0x20])).toBe(3);
    expect(at([0x61, 0xe6, 0x9d, 0x41])).toBe(1);
    expect(at([0x61, 0xf0, 0x9f])).toBe(1);
    expect(at([0x61, 0x80])).toBe(1);
  });

  it('overlong forms, surrogates and code points past U+10FFFF', () => {
    expect(at([0xc0, 0xaf])).toBe(0);
    expect(at([0xe0, 0x80, 0xaf])).toBe(0);
    expect(at([0xed, 0xa0, 0x80])).toBe(0);
    expect(at([0xf4, 0x90, 0x80, 0x80])).toBe(0);
  });
});
