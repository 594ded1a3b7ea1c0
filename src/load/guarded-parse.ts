// One pass of the lexer for both the guard and the parser: what the yaml package's parseDocument
// does, with every token shown to TokenGuard (yaml-guard.ts) before the parser gets it. A separate
// guard pass lexed every file twice (~75 ms of a 500-host inventory's ~640 ms load, cold).
import { Composer, Lexer, LineCounter, Parser, YAMLParseError, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { TokenGuard, type Refusal } from './yaml-guard.js';

/** Thrown through the parser and composer to stop them at the first refused token. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

function* guardedTokens(text: string, parser: Parser, lines: LineCounter): Generator<ReturnType<Parser['end']> extends Generator<infer T> ? T : never> {
  const guard = new TokenGuard();
  lines.addNewLine(0); // as Parser.parse does before its first token
  for (const lexeme of new Lexer().lex(text)) {
    const refusal = guard.feed(lexeme);
    if (refusal) throw new Refused(refusal);
    // A byte order mark (allowed, as PyYAML allows it): the yaml package's parser takes the line
    // as indented by it, so a playbook's first `- hosts:` broke into bogus errors (a review). It
    // is not shown to the parser; the offsets after it stay those of the text.
    if (lexeme === '\ufeff' && parser.offset === 0) {
      parser.offset += lexeme.length;
      continue;
    }
    yield* parser.next(lexeme);
  }
  yield* parser.end();
}

/**
 * `text` parsed as parseDocument(text, { ...options, lineCounter: lines }) would, or the guard's
 * refusal of the first token past its limits (then nothing past that token was parsed).
 */
export function parseGuarded(text: string, lines: LineCounter, options: ParseOptions & DocumentOptions & SchemaOptions): { doc: Document.Parsed } | { refused: Refusal } {
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer(options);
  let doc: Document.Parsed | undefined;
  try {
    for (const next of composer.compose(guardedTokens(text, parser, lines), true, text.length)) {
      if (!doc) {
        doc = next;
        continue;
      }
      // As parseDocument says it, and stops there.
      doc.errors.push(new YAMLParseError(next.range.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'the file holds a second YAML document here (Ansible reads one per file)'));
      break;
    }
  } catch (err) {
    if (err instanceof Refused) return { refused: err.refusal };
    throw err;
  }
  // compose(..., forceDoc) ends with a document at the latest.
  return { doc: doc! };
}
