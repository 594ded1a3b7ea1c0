// The --json document: one object, stable field names, no secrets (the journal holds none).
// Its shape is docs/json-schema/run.schema.json, tested against real runs.
import type { RunReport } from '../play/report.js';

/**
 * The version of every --json document's shape (run, status, error): raised when a field is
 * removed, renamed or changes meaning; a new field leaves it as it is.
 */
export const SCHEMA_VERSION = 1;

export function toJson(r: RunReport) {
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'run' as const,
    runId: r.runId,
    exitCode: r.exitCode,
    check: r.check,
    summary: r.summary,
    logFile: r.logFile ?? null,
    hosts: Object.fromEntries(r.hosts.map((h) => [h.host, {
      status: h.status,
      error: h.error ?? null,
      changes: h.planned.map((c) => ({ action: c.action, resource: c.resource, before: c.before, after: c.after, task: c.task, reason: c.reason ?? null })),
      appliedSteps: h.applied,
      verification: h.checks.map((c) => ({ ping: c.check.to, dev: c.check.dev ?? null, from: c.check.from ?? null, ok: c.ok, attempts: c.attempts, summary: c.summary })),
      rollback: h.rollback ? { ok: h.rollback.ok, errors: h.rollback.errors, residual: h.rollback.residual } : null,
      partialRollback: h.partialRollback ? { bundles: h.partialRollback.bundles, ok: h.partialRollback.ok, errors: h.partialRollback.errors, residual: h.partialRollback.residual } : null,
      transport: h.stats ?? null,
      journal: h.journal ?? [],
      warnings: h.warnings ?? [],
    }])),
    bundles: r.bundles.map((b) => ({ name: b.name, hosts: b.hosts, status: b.status, error: b.error ?? null })),
  };
}
