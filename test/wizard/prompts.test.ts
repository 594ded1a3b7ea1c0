// The wizard's questions, rendered by the real prompts of src/ui/prompts.ts (@inquirer/testing).
import { describe, expect, it } from 'vitest';
import { render } from '@inquirer/testing';
import { askCheckbox, askConfirm, askSelect, askText } from '../../src/ui/prompts.js';
import * as q from '../../src/wizard/questions.js';
import { linkRows, likelyLinks } from '../../src/wizard/links.js';
import { labFacts } from './fixtures.js';

/** Validation runs asynchronously: let it finish and the screen redraw. */
const settle = () => new Promise((r) => setTimeout(r, 10));
/** The test terminal is 80 columns wide: compare text with its line breaks folded to spaces. */
const flat = (screen: string) => screen.replace(/\s+/g, ' ');

describe('router questions', () => {
  it('host: takes an address, refuses an empty answer', async () => {
    const { answer, events, getScreen } = await render(askText, q.hostQuestion('a', undefined, ['edge-a', 'edge-b']));
    expect(getScreen()).toContain('Router A: host (address, or a ~/.ssh/config alias: edge-a, edge-b)');
    events.keypress('enter');
    await settle();
    expect(getScreen()).toContain('the address or name to connect to');
    events.type('127.0.0.1');
    events.keypress('enter');
    await expect(answer).resolves.toBe('127.0.0.1');
  });

  it('host: refuses at the question what the inventory loader would refuse, or ssh would not resolve', () => {
    const check = (v: string) => q.hostQuestion('a', undefined, []).validate!(v);
    // 010.0.0.1 reads as 8.0.0.1 to the resolver: the wizard would reach another machine.
    expect(check('010.0.0.1')).toContain('is not an IPv4 address');
    expect(check('127.0.0.1:22')).toContain('the port is the next question');
    expect(check('[::1]')).toContain('without brackets');
    expect(check('$(id)')).toContain('a host name cannot hold $');
    expect(check('a;b')).toContain('cannot hold ;');
    expect(check('-oProxyCommand=x')).toContain("starts with '-'");
    expect(check('h'.repeat(300))).toContain('longer than 255');
    expect(check('root@')).toContain('after the @');
    for (const good of ['127.0.0.1', '2001:db8::1', '::1', 'edge-a', 'root@192.0.2.1', 'r1.example.net']) expect(check(good)).toBe(true);
  });

  it('user: a name the inventory loader takes (a 300-character user wrote an inventory that did not load)', () => {
    const check = (v: string) => q.userQuestion('a', 'root').validate!(v);
    expect(check('u'.repeat(300))).toContain('longer than 255');
    expect(check('root user')).toContain('no spaces');
    expect(check('admin')).toBe(true);
  });

  it('port: defaults from ssh_config, refuses what is not a port', async () => {
    const { answer, events, getScreen } = await render(askText, q.portQuestion('b', 2202));
    expect(getScreen()).toContain('Router B: SSH port (2202)');
    events.type('99999');
    events.keypress('enter');
    await settle();
    expect(getScreen()).toContain('a port number, 1..65535');
    for (let i = 0; i < 5; i++) events.keypress('backspace');
    events.keypress('enter'); // empty: the default
    await expect(answer).resolves.toBe('2202');
  });

  it('key: empty means ssh-agent, refused when there is none; a bad file is explained', async () => {
    const noAgent = await render(askText, q.keyQuestion('a', '', false, () => undefined));
    noAgent.events.keypress('enter');
    await settle();
    expect(noAgent.getScreen()).toContain('no ssh-agent here (SSH_AUTH_SOCK is not set): give a private key file');
    noAgent.events.type('/keys/id');
    noAgent.events.keypress('enter');
    await expect(noAgent.answer).resolves.toBe('/keys/id');

    const bad = await render(askText, q.keyQuestion('a', '', true, (p) => `${p} is not a private key (that is the public half: drop .pub)`));
    bad.events.type('id.pub');
    bad.events.keypress('enter');
    await settle();
    expect(bad.getScreen()).toContain('id.pub is not a private key');
    // This prompt is never answered (its checker refuses everything): when the test worker exits,
    // inquirer closes it with ExitPromptError, which must not surface as an unhandled rejection.
    bad.answer.catch(() => undefined);
  });

  it('sudo: defaults to yes for a user that is not root', async () => {
    const { answer, events, getScreen } = await render(askConfirm, q.becomeQuestion('a', 'admin'));
    expect(getScreen()).toContain('(Y/n)');
    events.keypress('enter');
    await expect(answer).resolves.toBe(true);
  });

  it('host key: shows the fingerprint, and trusts only on yes', async () => {
    const fp = 'SHA256:2mW9p0o0v3rQ8mJ1yZ0zJm0cJ3y1f0Sx0nq7G1QbA7s';
    const { answer, events, getScreen } = await render(askConfirm, q.trustQuestion('[127.0.0.1]:2201', fp));
    expect(flat(getScreen())).toContain(`Unknown host key for [127.0.0.1]:2201: ${fp}. Is that the router's key?`);
    expect(getScreen()).toContain('(y/N)');
    expect(q.trustQuestion('bastion', fp, true).message).toContain("Is that the jump host's key (ssh_config's ProxyJump)?");
    events.keypress('enter');
    await expect(answer).resolves.toBe(false);
  });
});

describe('link question', () => {
  const rows = linkRows(labFacts('a'));

  it('shows the management interface, loopback and dummy without offering them; preselects the free links', async () => {
    const { answer, events, getScreen } = await render(askCheckbox<string>, q.linksQuestion('a', rows, likelyLinks(rows)));
    const screen = flat(getScreen());
    expect(screen).toMatch(/- eth0 +up, carrier UP, mtu 1500, 10\.0\.2\.15\/24 \(not offered: carries this SSH session\)/);
    expect(screen).toMatch(/- lo .*\(not offered: loopback\)/);
    expect(screen).toMatch(/- lan0 .*\(not offered: dummy interface, no wire\)/);
    expect(screen).toMatch(/◉ eth1 +down, carrier DOWN, mtu 1500, no address/);
    events.keypress('enter');
    await expect(answer).resolves.toEqual(['eth1', 'eth2']);
  });

  it('wants two or more links', async () => {
    const { answer, events, getScreen } = await render(askCheckbox<string>, q.linksQuestion('a', rows, ['eth1']));
    events.keypress('enter');
    await settle();
    expect(getScreen()).toContain('pick two or more links');
    events.keypress('down'); // the cursor skips disabled rows: eth1 -> eth2
    events.keypress('space');
    events.keypress('enter');
    await expect(answer).resolves.toEqual(['eth1', 'eth2']);
  });
});

describe('addressing and network questions', () => {
  it("offers the HOWTO's /31s first", async () => {
    const { answer, events, getScreen } = await render(askSelect<q.AddressingMode>, q.addressingQuestion(2, '10.0.0.0/29'));
    expect(flat(getScreen())).toContain('/31s out of one block (LARTC: 10.0.0.0/29 for 2 links; A the even end, B the odd)');
    events.keypress('down');
    events.keypress('enter');
    await expect(answer).resolves.toBe('typed');
  });

  it('block: too small is refused', async () => {
    const { answer, events, getScreen } = await render(askText, q.blockQuestion(2, '10.0.0.0/29'));
    events.type('192.168.7.0/30');
    events.keypress('enter');
    await settle();
    expect(getScreen()).toContain('192.168.7.0/30 holds 4 addresses');
    for (let i = 0; i < 2; i++) events.keypress('backspace');
    events.type('28');
    events.keypress('enter');
    await expect(answer).resolves.toBe('192.168.7.0/28');
  });

  it("typed address: B's end must be in A's subnet", async () => {
    const { answer, events, getScreen } = await render(askText, q.addressQuestion("link 1, B's eth1", '10.0.0.1/31', { side: 'b', other: '10.0.0.0/31' }));
    expect(getScreen()).toContain("link 1, B's eth1: address/prefix (10.0.0.1/31)");
    events.type('10.0.0.3/31');
    events.keypress('enter');
    await settle();
    expect(getScreen()).toContain('10.0.0.3/31 is not in 10.0.0.0/31, the subnet of 10.0.0.0/31');
    for (let i = 0; i < 11; i++) events.keypress('backspace');
    events.keypress('enter');
    await expect(answer).resolves.toBe('10.0.0.1/31');
  });

  it('network: overlaps and facts-based checks are explained', async () => {
    const taken = [{ what: 'teql0', cidr: '10.0.0.4/31' }];
    const { answer, events, getScreen } = await render(askText, q.networkQuestion('Network 2, behind B', '198.51.100.0/24', taken, (v) => (v === '192.0.2.0/24' ? 'connected on router_a' : undefined)));
    events.type('10.0.0.0/24');
    events.keypress('enter');
    await settle();
    expect(getScreen()).toContain('10.0.0.0/24 overlaps teql0 (10.0.0.4/31)');
    for (let i = 0; i < 11; i++) events.keypress('backspace');
    events.type('192.0.2.0/24');
    events.keypress('enter');
    await settle();
    expect(getScreen()).toContain('connected on router_a');
    for (let i = 0; i < 12; i++) events.keypress('backspace');
    events.keypress('enter');
    await expect(answer).resolves.toBe('198.51.100.0/24');
  });

  it('name: no .yml, no slashes', async () => {
    const { answer, events, getScreen } = await render(askText, q.nameQuestion('my-routers'));
    events.type('../x');
    events.keypress('enter');
    await settle();
    expect(getScreen()).toContain('letters, digits, . _ -');
    for (let i = 0; i < 4; i++) events.keypress('backspace');
    events.type('edge');
    events.keypress('enter');
    await expect(answer).resolves.toBe('edge');
  });
});
