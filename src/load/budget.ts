// The run's budget for templates and tasks: spent while rendering and instantiating, so a hostile
// playbook stops at the first template or loop item past it, not after memory has run out.
import { ExprError } from './expr-error.js';
import { MAX_DEPTH, MAX_EVAL_STEPS, MAX_TASK_INSTANCES, MAX_VALUE_NODES } from './limits.js';

export class RunBudget {
  private steps: number;
  private tasks: number;

  constructor(steps = MAX_EVAL_STEPS, tasks = MAX_TASK_INSTANCES) {
    this.steps = steps;
    this.tasks = tasks;
  }

  /** True once a limit was passed: the loader stops instantiating (one problem, not thousands). */
  get exhausted(): boolean {
    return this.steps < 0 || this.tasks < 0;
  }

  /** Spends evaluation steps; throws ExprError when the run's templates need more than the limit. */
  spend(n: number): void {
    this.steps -= n;
    if (this.steps < 0) {
      throw new ExprError(`the templates of this run need more than ${MAX_EVAL_STEPS} evaluation steps`, 'variables that refer to each other many times, or long loops over large values, cost this much: simplify them');
    }
  }

  /** Takes one task instance; false when the run already has the most it may have. */
  takeTask(): boolean {
    this.tasks--;
    return this.tasks >= 0;
  }
}

/**
 * Elements of a value counted as a tree, up to `cap` (+1 when over), and refuses nesting deeper than
 * the YAML limit. Shared sublists are counted each time they occur, but walked once.
 */
export function valueSize(v: unknown, cap = MAX_VALUE_NODES): number {
  const sizes = new Map<object, number>();
  const walk = (x: unknown, depth: number): number => {
    if (typeof x !== 'object' || x === null) return 1;
    const known = sizes.get(x);
    if (known !== undefined) return known;
    if (depth > MAX_DEPTH) throw new ExprError(`a templated value is nested more than ${MAX_DEPTH} levels deep`, 'flatten the variables that wrap one another in lists');
    let n = 1;
    for (const c of Array.isArray(x) ? x : Object.values(x)) {
      n += walk(c, depth + 1);
      if (n > cap) break;
    }
    sizes.set(x, n);
    return n;
  };
  return walk(v, 0);
}

/** Throws when a templated value has more elements than one value may have. */
export function checkValueSize(v: unknown): number {
  const n = valueSize(v);
  if (n > MAX_VALUE_NODES) throw new ExprError(`a templated value has more than ${MAX_VALUE_NODES} values (lists and mappings counted with their elements)`, 'variables that put one list into another several times grow exponentially: simplify them');
  return n;
}
