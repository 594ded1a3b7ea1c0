// The router question's `user@host`, split as ssh splits it: the host resolved, the user the next
// question's default (without an ssh client the whole was taken as a host name, and refused again
// and again: a review).
import { describe, expect, it } from 'vitest';
import { splitUserHost } from '../../src/wizard/ask-routers.js';

describe('user@host at the router question', () => {
  it('splits at the last @, as ssh does; a bare host or alias is the host alone', () => {
    expect(splitUserHost('root@127.0.0.1')).toEqual({ user: 'root', host: '127.0.0.1' });
    expect(splitUserHost('a@b@edge-a')).toEqual({ user: 'a@b', host: 'edge-a' });
    expect(splitUserHost('edge-a')).toEqual({ host: 'edge-a' });
    expect(splitUserHost('2001:db8::1')).toEqual({ host: '2001:db8::1' });
    // Nothing on one side of the @: taken as typed (its question refuses it).
    expect(splitUserHost('@x')).toEqual({ host: '@x' });
    expect(splitUserHost('x@')).toEqual({ host: 'x@' });
  });
});
