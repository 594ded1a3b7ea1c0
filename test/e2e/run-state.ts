// A run's state on a router, as the e2e tests wait for it. `pending` is written when the dead-man
// is armed, before the first change: a test that acts on "applied and waiting to confirm" must
// also wait for the apply script's end (it removes its `applier` file), or it races the apply.
import { sshRun } from './lab.js';

/** A run is pending on `router` and its apply script has ended. */
export const appliedAndPending = async (router: 'a' | 'b') =>
  (await sshRun(router, 'for d in /var/lib/teqlctl/runs/*; do grep -qx pending $d/state 2>/dev/null && [ ! -e $d/applier ] && echo applied; done')).stdout.includes('applied');

/**
 * Every run on `router` is decided (none pending, reverting or rolling back), no run's timer is
 * armed, and the lock is free. A revert writes the state it restores before `reverted` and frees
 * the lock last: a test that reads `teqlctl status` after "the state is back" waits for this.
 */
export const quiet = async (router: 'a' | 'b') =>
  (await sshRun(router, `for d in /var/lib/teqlctl/runs/*/; do
  s=; read -r s 2>/dev/null < "$d/state"
  case "$s" in pending|reverting|rolling-back) exit 1;; esac
  kind=; what=; read -r kind what 2>/dev/null < "$d/timer"
  case "$kind" in
    systemd) systemctl is-active --quiet "$what.service" "$what.timer" 2>/dev/null && exit 1;;
    pid) kill -0 "$what" 2>/dev/null && exit 1;;
  esac
done
! test -e /run/teqlctl.lock`)).code === 0;

export const bothQuiet = async () => (await quiet('a')) && (await quiet('b'));

/** The lock's holder, the sshd session that took it, is gone (the lock itself may stay). */
export const lockHolderGone = async (router: 'a' | 'b') =>
  (await sshRun(router, 'p=$(sed -n "s/^pid=//p" /run/teqlctl.lock/owner 2>/dev/null); [ -n "$p" ] && [ ! -d /proc/$p ]')).code === 0;
