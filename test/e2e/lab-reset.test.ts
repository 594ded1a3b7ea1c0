// `lab reset a` undoes everything done on a, and only on a.
import { afterAll, describe, expect, it } from 'vitest';
import { resetRouters, routerFacts, sshRun } from './lab.js';

describe('lab reset', () => {
  afterAll(async () => {
    await sshRun('b', 'rm -f /root/marker-b');
  });

  it('brings router a back to pristine and leaves b alone', async () => {
    const change = await sshRun('a', 'modprobe sch_teql && ip link set eth1 up && touch /root/marker');
    expect(change.code, change.stderr).toBe(0);
    expect((await sshRun('b', 'touch /root/marker-b')).code).toBe(0);
    const changed = await routerFacts('a');
    expect(changed.teqlLoaded).toBe(true);
    expect(changed.links.eth1?.up).toBe(true);

    await resetRouters('a');

    const after = await routerFacts('a');
    expect(after.hostname).toBe('router-a');
    expect(after.teqlLoaded).toBe(false);
    expect(after.links.eth1).toEqual({ up: false, addresses: [] });
    expect(after.rpFilter).toEqual({ all: 2, default: 2 });
    expect((await sshRun('a', 'test -e /root/marker')).code).toBe(1);
    expect((await sshRun('b', 'test -e /root/marker-b')).code).toBe(0);
  });
});
