// The variables one host sees, with where each was set. Values that hold templates are rendered when
// read (lazily, as Ansible does), so a variable may refer to another one.
import type { SourcePos } from '../errors.js';
import { ExprError } from './expr-error.js';
import type { RunBudget } from './budget.js';
import type { Lookup, Scope } from './expr-eval.js';
import { hasTemplateDeep, renderDeep, wholeTemplateExpr } from './template.js';
import { containsOmit } from './omit.js';
import { wordAt, wordsOfExpr, type BooleanWord, type BooleanWords } from './boolean-word.js';
import type { Expr } from './expr-parse.js';
import type { Yaml11Reading } from './yaml11-readings.js';

export interface VarOrigin {
  pos: SourcePos;
  /** Where the value was set, for messages: "host router_a in the inventory", "play vars", ... */
  where: string;
  /** For `item`: the variables the loop read. */
  via?: string[];
  /** Its values written as a plain yes/no/on/off in YAML, by path: Ansible's booleans (boolean-word.ts). */
  booleanWords?: BooleanWords;
  /** The plain YAML scalars in its value that Ansible (YAML 1.1) reads otherwise, by path ('' the value itself; yaml11-readings.ts): `010` is 8 there. */
  yaml11?: ReadonlyMap<string, Yaml11Reading>;
}

/** Variables plus where each was set; later layers override earlier ones. */
export interface VarLayer {
  values: Record<string, unknown>;
  origins: Map<string, VarOrigin>;
}

export function emptyLayer(): VarLayer {
  // No prototype: a variable named __proto__ (Ansible keeps it like any other) is then set as a
  // value, not as the object's prototype, by `values[name] =` and Object.assign alike.
  return { values: Object.create(null) as Record<string, unknown>, origins: new Map() };
}

/** Merges layers, lowest precedence first; a later value replaces an earlier one whole (hash_behaviour=replace). */
export function mergeLayers(layers: readonly VarLayer[]): VarLayer {
  const out = emptyLayer();
  for (const layer of layers) {
    Object.assign(out.values, layer.values);
    for (const [k, o] of layer.origins) out.origins.set(k, o);
  }
  return out;
}

export function formatPos(p: SourcePos): string {
  return `${p.file}:${p.line}:${p.col}`;
}

export class VarScope implements Scope {
  private readonly resolving: string[] = [];
  /** Templated variables already rendered in this scope: each is rendered once, however often it is read. */
  private readonly memo = new Map<string, unknown>();
  private readonly budget?: RunBudget;

  /**
   * `base` holds the variables under this scope's own layer (a host's, under a play's vars or a loop item).
   * `budget` (else the base's) is charged for every evaluation step.
   */
  constructor(
    readonly layer: VarLayer,
    private readonly base?: VarScope,
    budget?: RunBudget,
  ) {
    this.budget = budget ?? base?.budget;
  }

  /** These variables plus one (a loop's item), without copying them: a loop costs per item, not per variable. */
  with(name: string, value: unknown, origin: VarOrigin): VarScope {
    return new VarScope({ values: { [name]: value }, origins: new Map([[name, origin]]) }, this);
  }

  spend(steps: number): void {
    this.budget?.spend(steps);
  }

  private find(name: string): { value: unknown; origin?: VarOrigin } | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.layer.values, name)) return this.base?.find(name);
    return { value: this.layer.values[name], origin: this.layer.origins.get(name) };
  }

  rawValue(name: string): { value: unknown } | undefined {
    const found = this.find(name);
    return found && { value: found.value };
  }

  /** Where a variable was set. */
  origin(name: string): VarOrigin | undefined {
    return this.find(name)?.origin;
  }

  booleanWord(name: string, path: string): BooleanWord | undefined {
    // The value itself of a variable that is one template of another (`again: "{{ tune }}"`) is
    // refused where it is rendered, naming the one written so; inside it, only its words say it.
    const source = this.wordSource(name);
    const words = path === '' || !source?.expr ? source?.words : wordsOfExpr({ kind: 'var', name }, (n) => this.wordSource(n));
    const w = wordAt(words, path);
    return w && { ...w, at: w.at ?? source!.at };
  }

  /** A variable's words, where it was set, and the whole template its value is (boolean-word.ts follows it); undefined where it is not set. */
  wordSource(name: string): { words: BooleanWords; at: string; expr?: Expr } | undefined {
    const found = this.find(name);
    if (found?.value === undefined) return undefined;
    const o = found.origin;
    const expr = o?.booleanWords?.size ? undefined : wholeTemplateExpr(found.value);
    return { words: o?.booleanWords ?? new Map(), at: o ? formatPos(o.pos) : '?', ...(expr ? { expr } : {}) };
  }

  lookup(name: string, allowOmit = false): Lookup {
    const r = this.resolve(name);
    // Read for itself (an address, a port, a bundle's ends), not inside a task argument: omit leaves nothing out here.
    if (!allowOmit && r.found && containsOmit(r.value)) {
      const o = this.origin(name);
      throw new ExprError(`variable '${name}'${o ? ` (set at ${formatPos(o.pos)})` : ''} gives omit, which only leaves a task argument out: teqlctl reads the variable itself here`, `give ${name} a value, or leave it unset rather than set it to default(omit)`);
    }
    return r;
  }

  private resolve(name: string): Lookup {
    const found = this.find(name);
    if (!found) return { found: false };
    const raw = found.value;
    if (this.memo.has(name)) return { found: true, value: this.memo.get(name) };
    if (!hasTemplateDeep(raw)) return { found: true, value: raw };
    const where = found.origin ? ` (set at ${formatPos(found.origin.pos)})` : '';
    if (this.resolving.includes(name)) {
      throw new ExprError(`variable '${name}' refers to itself: ${[...this.resolving, name].join(' -> ')}`, 'break the cycle');
    }
    this.resolving.push(name);
    try {
      const value = renderDeep(raw, this);
      this.memo.set(name, value);
      return { found: true, value };
    } catch (err) {
      if (!(err instanceof ExprError) || err.message.includes('refers to itself')) throw err;
      throw new ExprError(`${err.message}, in variable '${name}'${where}`, err.hint);
    } finally {
      this.resolving.pop();
    }
  }

  /** "teql_slaves (set at inv.yml:7:11, host router_a in the inventory)" for each variable a template read. */
  describe(names: Iterable<string>): string[] {
    const out: string[] = [];
    for (const name of names) {
      const o = this.origin(name);
      if (!o) continue;
      if (name === 'item' && o.via?.length) out.push(...this.describe(o.via));
      else out.push(`${name} (set at ${formatPos(o.pos)}, ${o.where})`);
    }
    return [...new Set(out)];
  }
}
