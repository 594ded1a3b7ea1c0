// Pure: what a simulated router answers to each script teqlctl sends. It recognises the script by the
// markers teqlctl's own modules put in it (facts sections, apply steps, ping checks), answers from
// facts recorded on the lab, confirms a run, and turns "converged" after an apply ("pristine" after a rollback).
import { sysctlNames } from '../../src/plan/facts-needed.js';
import { PARTIAL_MARKER, BARRIER_MARKER, CHECK_MARKER as CHECK, CONFIRM_MARKER, SECTION_MARKER as SECTION, STEP_MARKER as STEP, UNDO_MARKER } from '../../src/router/markers.js';
import type { LoadedRun } from '../../src/load/index.js';

export type SimState = 'pristine' | 'converged' | 'partial' | 'applied' | 'kept';
export type ScriptKind = 'facts' | 'apply' | 'rollback' | 'partial-rollback' | 'verify' | 'confirm' | 'release' | 'unknown';

export interface SimFacts {
  pristine: string;
  converged: string;
  /** A hub with its failed bundles undone and the others kept (what a partial rollback leaves). */
  partial?: string;
  /** After an apply that writes no boot file (default: converged): the tasks applied, the boot files not yet. */
  applied?: string;
  /** A hub's kept bundles with their boot files: after it writes them once its partial rollback is done (default: converged). */
  kept?: string;
}

/** Does an apply write teqlctl's boot files (render-op.ts writes each next to its target first)? */
export function writesBootFiles(script: string): boolean {
  return script.includes('.teqlctl-new');
}

export interface SimReply {
  kind: ScriptKind;
  /** Facts sections asked for that the recording does not have (answered empty). */
  missing: string[];
  stdout: string;
  stderr: string;
  code: number;
  state: SimState;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const STEP_LINE = new RegExp(`printf '(?:\\\\n)?${escape(STEP)} %d %d\\\\n' (\\d+)`, 'g');
const CHECK_LINE = new RegExp(`printf '${escape(CHECK)} %d %d %d\\\\n' (\\d+)`, 'g');

export function stepIndices(script: string): number[] {
  return [...script.matchAll(STEP_LINE)].map((m) => Number(m[1]));
}

export function checkIndices(script: string): number[] {
  return [...script.matchAll(CHECK_LINE)].map((m) => Number(m[1]));
}

/** Section names a facts script asks for, in order (`echo '@@teqlctl-section NAME'`). */
export function requestedSections(script: string): string[] {
  const re = new RegExp(`echo '${escape(SECTION)} ([\\w-]+)'`, 'g');
  return [...script.matchAll(re)].map((m) => m[1]!);
}

/** Recorded facts output split into its sections, in order. */
export function recordedSections(output: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith(`${SECTION} `)) {
      name = line.slice(SECTION.length + 1).trim();
      out.set(name, '');
    } else if (name !== undefined) {
      out.set(name, out.get(name)! + line + '\n');
    }
  }
  return out;
}

/**
 * A recording made before the facts read the addresses and routes by one `ip` batch: its two
 * sections, as that batch prints them (gather/script.ts).
 */
function ipFromSections(sections: Map<string, string>): string | undefined {
  const bodies = ['addresses', 'routes'].map((n) => sections.get(n));
  if (bodies.some((b) => b === undefined)) return undefined;
  return bodies.map((b) => `${b!.trim()}\n`).join('');
}

/**
 * The facts output for the sections `script` asks for, from a recording. A section the recording
 * lacks (teqlctl reads more than when it was recorded) is answered empty and named in `missing`.
 */
export function answerFacts(script: string, recorded: string): { stdout: string; missing: string[] } {
  const sections = recordedSections(recorded);
  const missing: string[] = [];
  let stdout = '';
  for (const name of requestedSections(script)) {
    const body = sections.get(name) ?? (name === 'ip' ? ipFromSections(sections) : undefined);
    if (body === undefined) missing.push(name);
    stdout += `${SECTION} ${name}\n${body ?? ''}`;
  }
  return { stdout, missing };
}

/** Does this script (its first part) end at a barrier, its shell waiting for the rest? */
export function hasBarrier(script: string): boolean {
  return script.includes(`'${BARRIER_MARKER}'`);
}

export function classify(script: string): ScriptKind {
  // A hub's partial rollback names the steps it undoes; the rollback undoes from the router's own journal.
  if (script.includes(PARTIAL_MARKER)) return 'partial-rollback';
  if (script.includes(UNDO_MARKER)) return 'rollback';
  if (stepIndices(script).length > 0) return 'apply';
  if (checkIndices(script).length > 0) return 'verify';
  if (script.includes(`echo "${CONFIRM_MARKER} ok`)) return 'confirm';
  if (script.includes(`echo "${CONFIRM_MARKER} released"`)) return 'release';
  if (script.includes(`'${SECTION} links'`)) return 'facts';
  return 'unknown';
}

/** An apply's answer: every step done, the facts re-read in the same round trip, then its barrier. */
export function applyAnswer(script: string, facts: string): { stdout: string; missing: string[] } {
  const steps = stepIndices(script).map((i) => `${STEP} ${i} 0\n`).join('');
  // A staged apply's shell then waits at its barrier for the checks (see connect/transport.ts).
  const barrier = hasBarrier(script) ? `${BARRIER_MARKER}\n` : '';
  const f = answerFacts(script, facts);
  return { stdout: steps + f.stdout + barrier, missing: f.missing };
}

/** `facts` with its section `name` taken from `other`. */
function withSectionOf(facts: string, name: string, other: string): string {
  const from = recordedSections(other).get(name);
  return from === undefined ? facts : withSection(facts, name, from);
}

/** `facts` with its section `name` set to `body`: replaced, or added before the sections that close the output. */
function withSection(facts: string, name: string, body: string): string {
  const sections = [...recordedSections(facts)].filter(([n]) => n !== name);
  const at = sections.findIndex(([n]) => n === 'lock' || n === 'end');
  sections.splice(at < 0 ? sections.length : at, 0, [name, body]);
  return sections.map(([n, b]) => `${SECTION} ${n}\n${b}`).join('');
}

/**
 * Every state of a simulated host with the host's own boot id. The hosts answer from one recording,
 * and teqlctl refuses inventory names that answer with the same router's identity (boot id and
 * links: play/same-router.ts) as one router under two names.
 */
export function ownIdentity(facts: SimFacts, name: string): SimFacts {
  // Its other lines (the session's uid) kept as recorded.
  const body = (text: string) => `boot=sim-${name}\n${(recordedSections(text).get('identity') ?? '').split('\n').filter((l) => l && !l.startsWith('boot=')).map((l) => `${l}\n`).join('')}`;
  return Object.fromEntries(Object.entries(facts).map(([state, text]) => [state, text === undefined || text === '' ? text : withSection(text, 'identity', body(text))])) as unknown as SimFacts;
}

/** The answer of a host in `state` to `script`, and the state it is in afterwards. */
export function reply(script: string, state: SimState, facts: SimFacts): SimReply {
  const kind = classify(script);
  switch (kind) {
    case 'facts': {
      const f = answerFacts(script, facts[state] ?? facts.converged);
      // With early checks its shell then waits at a barrier, as a staged apply's does.
      return { kind, stdout: f.stdout + (hasBarrier(script) ? `${BARRIER_MARKER}\n` : ''), missing: f.missing, stderr: '', code: 0, state };
    }
    case 'apply':
    case 'rollback': {
      // The apply and rollback scripts re-read the facts in the same round trip.
      const next: SimState = kind === 'rollback' ? 'pristine' : writesBootFiles(script) ? (state === 'partial' && facts.kept ? 'kept' : 'converged') : state === 'partial' ? 'partial' : facts.applied ? 'applied' : 'converged';
      const a = applyAnswer(script, facts[next] ?? facts.converged);
      return { kind, stdout: a.stdout, missing: a.missing, stderr: '', code: 0, state: next };
    }
    case 'partial-rollback': {
      // The boot files are shared by the bundles: a partial undo leaves them as they are.
      const f = answerFacts(script, withSectionOf(facts.partial ?? facts.pristine, 'boot', facts[state] ?? facts.converged));
      return { kind, stdout: `${PARTIAL_MARKER} ok\n${f.stdout}`, missing: f.missing, stderr: '', code: 0, state: facts.partial ? 'partial' : 'pristine' };
    }
    case 'verify': {
      const ok = '3 packets transmitted, 3 received, 0% packet loss, time 401ms\nrtt min/avg/max/mdev = 0.210/0.250/0.300/0.040 ms\n';
      return { kind, stdout: checkIndices(script).map((i) => `${ok}${CHECK} ${i} 0 1\n`).join(''), missing: [], stderr: '', code: 0, state };
    }
    case 'confirm':
      // The dead-man's switch is disarmed over a new connection once every check passed.
      // Its shell then waits at a barrier to free the lock, as a staged apply's does.
      return { kind, stdout: `${CONFIRM_MARKER} ok\n${hasBarrier(script) ? `${BARRIER_MARKER}\n` : ''}`, missing: [], stderr: '', code: 0, state };
    case 'release':
      // Every host confirmed: the run's lock is freed.
      return { kind, stdout: `${CONFIRM_MARKER} released\n`, missing: [], stderr: '', code: 0, state };
    default:
      return { kind, stdout: '', missing: [], stderr: 'simulated host: unrecognised script\n', code: 127, state };
  }
}

/**
 * The lab's 10.0.0.0/29 (links and teql0) moved to pair `pair`'s own 10.<pair/256>.<pair%256>.0/29;
 * pair 2's to 10.255.255.0/29, not 10.0.2.0/29: that is the recorded routers' management network
 * (QEMU's user network, the controller at 10.0.2.2), where a link subnet would hold the SSH
 * session's client, and the plan refuses it.
 */
export function pairPrefix(pair: number): string {
  if (!Number.isInteger(pair) || pair < 0 || pair > 65534) throw new Error(`pair ${pair} is out of 0..65534`);
  const n = pair === 2 ? 65535 : pair;
  return `10.${n >> 8}.${n & 255}`;
}

export function rewriteForPair(text: string, pair: number): string {
  const prefix = pairPrefix(pair);
  return text.replace(/(?<![\d.])10\.0\.0\.([0-7])(?![\d])/g, `${prefix}.$1`);
}

/** What the facts script reads for the chapter's tasks besides every rp_filter, as teqlctl asks for it (the links' IPv6 MTUs too). */
export function chapterSysctls(loaded: LoadedRun): string[] {
  return sysctlNames(loaded.plays.flatMap((p) => [...p.tasks.values()].flat()));
}
