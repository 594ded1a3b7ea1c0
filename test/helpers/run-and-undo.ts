// A plan run for real in a network namespace, then undone: the netns tests of what a link's flush
// takes and what its undo puts back (test/plan/link-flush*-netns.test.ts).
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { renderOp } from '../../src/apply/render-op.js';
import { planHost } from '../../src/plan/plan-host.js';
import type { TaskInstance } from '../../src/load/types.js';

/**
 * Returns runAndUndo(tasks, during): plans `tasks` on the namespace's facts (read by `sh`), runs
 * the steps, checks `during` on `state()`, then runs every undo newest first.
 */
export function undoRunner(sh: (line: string) => string, state: () => string): (tasks: TaskInstance[], during: (s: string) => void) => void {
  return (tasks, during) => {
    const facts = parseFacts('ns', sh(factsScript()));
    const steps = planHost('ns', tasks, facts, { persistence: false }).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps)).filter((s) => !s.op.kind.startsWith('baseline'));
    for (const s of steps) sh(renderOp(s.op));
    during(state());
    for (const s of [...steps].reverse()) for (const op of s.undo) sh(renderOp(op));
  };
}
