// Failure domains: the unit that is applied, verified, confirmed or rolled back together is the
// bundle (its two ends), so that one broken site never undoes the healthy ones. Hosts of a play
// that belong to no bundle are a unit each, or together where their tasks link them
// (loose-units.ts). Pure bookkeeping: the run (run-play.ts) tells it what failed.
import type { Stage } from '../errors.js';
import type { Bundle } from '../load/bundle-types.js';
import { scopesOf, type EndScope } from '../plan/bundle-scope.js';
import { looseName } from './loose-units.js';

export interface Unit {
  name: string;
  /** Its hosts in the run, in the run's host order (the plays' patterns', as Ansible's). */
  hosts: string[];
  /** false: the play's hosts that belong to no bundle. */
  bundle: boolean;
}

export interface UnitFailure {
  stage: Stage;
  message: string;
}


export class FailureDomains {
  readonly units: Unit[];
  private readonly byHost = new Map<string, string[]>();
  private readonly scopes = new Map<string, EndScope[]>();
  private readonly failures = new Map<string, UnitFailure>();
  private pending: string[] = [];

  private readonly outside = new Map<string, string[]>();

  /**
   * `hosts`: the run's hosts in its plays' order; bundles with no end among them are left out, as
   * are bundles `selected` (--limit) does not name: their tasks are left out on the hosts that run.
   */
  constructor(bundles: readonly Bundle[], hosts: readonly string[], selected?: readonly string[], looseGroups: (loose: string[]) => string[][] = (loose) => [loose]) {
    const inRun = new Set(hosts);
    const chosen = selected ? new Set(selected) : undefined;
    for (const b of bundles) {
      if (!chosen || chosen.has(b.name)) continue;
      for (const e of b.ends) if (inRun.has(e.host)) this.outside.set(e.host, [...(this.outside.get(e.host) ?? []), b.name]);
    }
    this.units = bundles
      .filter((b) => !chosen || chosen.has(b.name))
      .map((b) => ({ name: b.name, hosts: [...new Set(b.ends.map((e) => e.host))].filter((h) => inRun.has(h)), bundle: true }))
      .filter((u) => u.hosts.length > 0);
    for (const u of this.units) for (const h of u.hosts) this.byHost.set(h, [...(this.byHost.get(h) ?? []), u.name]);
    const loose = hosts.filter((h) => !this.byHost.has(h));
    if (loose.length > 0) {
      for (const group of looseGroups(loose)) {
        const name = looseName(group);
        this.units.push({ name, hosts: group, bundle: false });
        for (const h of group) this.byHost.set(h, [name]);
      }
    }
    for (const h of hosts) this.scopes.set(h, scopesOf(h, bundles));
  }

  /** The host's bundles this run leaves out (--limit chose others): their tasks are not run. */
  outsideOf(host: string): string[] {
    return this.outside.get(host) ?? [];
  }

  unitsOf(host: string): string[] {
    return this.byHost.get(host) ?? [];
  }

  /** All of the host's bundle ends (left-out ones too), to tell which of its steps and checks are whose (plan/bundle-scope.ts). */
  scopesOf(host: string): EndScope[] {
    return this.scopes.get(host) ?? [];
  }

  /** A unit fails once: its first failure is its reason. */
  fail(unit: string, failure: UnitFailure): void {
    if (this.failures.has(unit)) return;
    this.failures.set(unit, failure);
    this.pending.push(unit);
  }

  /** Every unit the host belongs to (an unreachable host, a failed apply, a check of its own). */
  failHost(host: string, failure: UnitFailure): void {
    for (const u of this.unitsOf(host)) this.fail(u, failure);
  }

  /** The failure that came first in time (units fail once, in the order they failed). */
  get firstFailure(): UnitFailure | undefined {
    return this.failures.values().next().value;
  }

  failureOf(unit: string): UnitFailure | undefined {
    return this.failures.get(unit);
  }

  get failed(): ReadonlySet<string> {
    return new Set(this.failures.keys());
  }

  /** The units that failed since the last call: what the run has to roll back now. */
  takeNew(): Unit[] {
    const names = new Set(this.pending);
    this.pending = [];
    return this.units.filter((u) => names.has(u.name));
  }

  /** Still has a unit that did not fail: the host goes on with the run. */
  alive(host: string): boolean {
    return this.unitsOf(host).some((u) => !this.failures.has(u));
  }

  failedOn(host: string): string[] {
    return this.unitsOf(host).filter((u) => this.failures.has(u));
  }

  get anyAlive(): boolean {
    return this.units.some((u) => !this.failures.has(u.name));
  }

  get anyFailed(): boolean {
    return this.failures.size > 0;
  }
}
