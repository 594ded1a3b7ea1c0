// What the wizard says once the run it started ended: "a second run changes nothing" only where it
// converged (a review found it said after a rollback too, where a second run would change everything).
import { describe, expect, it } from 'vitest';
import { afterRunLine } from '../../src/cli/wizard-command.js';

describe('the wizard after its run', () => {
  it('says a rerun changes nothing only after a run that converged (exit 0)', () => {
    expect(afterRunLine('teqlctl play -i inv.yml pb.yml', 0)).toBe('\nRun it again any time: teqlctl play -i inv.yml pb.yml --yes   (a second run changes nothing)\n');
    for (const code of [5, 8, 130]) {
      const line = afterRunLine('teqlctl play -i inv.yml pb.yml', code);
      expect(line).not.toContain('changes nothing');
      expect(line).toBe(`\nThe run did not converge (exit ${code}; above, what each router holds now). Preview the next try with: teqlctl play -i inv.yml pb.yml --check\n`);
    }
  });
});
