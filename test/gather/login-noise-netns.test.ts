// A login shell whose rc file prints to stdout without a newline (`printf 'Last login: ...'` in a
// .bashrc): the facts are read all the same. The first section's marker was glued to the noise and
// the read failed with "facts output is missing its links section (is this a Linux router...?)".
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';

const sh = netnsShell('noise', 'ip link add eth1 type veth peer name p1');

describe('facts read through a login shell that prints', () => {
  it.each([["without a newline", "printf 'Last login: Sat Dec  5 16:02 from 192.0.2.9'"], ['with one', "echo 'Welcome to router a'"]])('%s before the script', (_what, noise) => {
    const facts = parseFacts('ns', sh(`${noise}\n${factsScript()}`));
    expect(facts.links.map((l) => l.name)).toContain('eth1');
  });
});
