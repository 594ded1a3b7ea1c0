// parseGuarded: the yaml package's parseDocument, with the guard fed each token before the parser.
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { parseGuarded } from '../../src/load/guarded-parse.js';
import { MAX_DEPTH } from '../../src/load/limits.js';

const OPTIONS = { prettyErrors: false, merge: true, uniqueKeys: false } as const;

function guarded(text: string) {
  const lines = new LineCounter();
  return { parsed: parseGuarded(text, lines, OPTIONS), lines };
}

describe('parseGuarded', () => {
  it('reads what parseDocument reads: values, errors, warnings and line positions', () => {
    const texts = [
      'all:\n  hosts:\n    a: { x: 1, y: [1, 2] }\n    b: &b\n      z: "q"\n    c: *b\n',
      'a: 1\nb: [1, 2\n',
      'key: value\n\tbad: tab\n',
      '',
      '# only a comment\n',
      '--- |\n  text\n  more\n',
      '%YAML 1.1\n---\nx: yes\n',
    ];
    for (const text of texts) {
      const { parsed, lines } = guarded(text);
      const expectedLines = new LineCounter();
      const expected = parseDocument(text, { ...OPTIONS, lineCounter: expectedLines });
      if (!('doc' in parsed)) throw new Error(`refused: ${text}`);
      expect(parsed.doc.toJS()).toEqual(expected.toJS());
      expect(parsed.doc.errors.map((e) => [e.code, e.pos])).toEqual(expected.errors.map((e) => [e.code, e.pos]));
      expect(parsed.doc.warnings.map((e) => e.code)).toEqual(expected.warnings.map((e) => e.code));
      expect(lines.lineStarts).toEqual(expectedLines.lineStarts);
    }
  });

  it('a byte order mark before a playbook\'s first `- hosts:` reads as the same text without it, the positions after it those of the text', () => {
    const body = '- hosts: routers\n  tasks:\n    - link: { dev: eth1 }\n';
    const { parsed } = guarded(`\ufeff${body}`);
    if (!('doc' in parsed)) throw new Error('refused');
    expect(parsed.doc.errors).toEqual([]);
    expect(parsed.doc.toJS()).toEqual(parseDocument(body).toJS());
    const hosts = (parsed.doc.contents as any).items[0].items[0].value;
    expect(hosts.range[0]).toBe(`\ufeff${body}`.indexOf('routers'));
  });

  it('says a second document as parseDocument does (MULTIPLE_DOCS at its start)', () => {
    const text = 'a: 1\n---\nb: 2\n';
    const { parsed } = guarded(text);
    if (!('doc' in parsed)) throw new Error('refused');
    expect(parsed.doc.toJS()).toEqual({ a: 1 });
    expect(parsed.doc.errors.map((e) => [e.code, e.pos[0]])).toEqual(parseDocument(text).errors.map((e) => [e.code, e.pos[0]]));
    expect(parsed.doc.errors.map((e) => e.code)).toEqual(['MULTIPLE_DOCS']);
  });

  it('refuses at the first token past the depth limit, even after a whole first document, where the separate scan did', () => {
    const deep = `${'['.repeat(MAX_DEPTH + 1)}1${']'.repeat(MAX_DEPTH + 1)}\n`;
    const text = `a: 1\n---\nb: ${deep}`;
    const { parsed } = guarded(text);
    expect('refused' in parsed && parsed.refused).toEqual({ offset: text.indexOf('[') + MAX_DEPTH, message: `invalid YAML: [ ] and { } nested more than ${MAX_DEPTH} levels deep`, hint: 'flatten the structure' });
  });

  it('stops a hostile nesting without overflowing the stack (the parser never sees it)', () => {
    const text = `x: ${'['.repeat(200_000)}`;
    const { parsed } = guarded(text);
    expect('refused' in parsed && parsed.refused.offset).toBe(3 + MAX_DEPTH);
  });
});
