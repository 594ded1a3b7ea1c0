// The inventory the wizard writes: the lab's layout (routers group, the chapter's variable names),
// commented so that it can be read and edited by hand. Pure: same model, same text.
import { shellQuote } from '../router/shell-quote.js';
import { drawTopology } from './topology.js';
import { type RouterAnswers, type Side, type WizardModel } from './model.js';
import { renderTeqlPeerVars, type PeerVarComments } from '../teql-vars/render-teql-vars.js';
import type { TeqlPeerHostVars } from '../teql-vars/teql-vars.js';
import { commentedLine as line, flowList, scalar } from '../teql-vars/yaml-scalar.js';

function connection(r: RouterAnswers): string[] {
  const from = r.proxyJump ? ` (~/.ssh/config's Host ${r.alias ?? r.host}, through its ProxyJump ${r.proxyJump}: its HostName and jump hosts are read there)` : r.alias ? ` (from ~/.ssh/config: Host ${r.alias})` : '';
  const out = [line(10, `# how to reach ${r.side.toUpperCase()}${from}`)];
  out.push(line(10, `ansible_host: ${scalar(r.host)}`));
  out.push(line(10, `ansible_port: ${r.port}`));
  out.push(line(10, `ansible_user: ${scalar(r.user)}`));
  if (r.keyFile) out.push(line(10, `ansible_ssh_private_key_file: ${scalar(r.keyFile)}`));
  else out.push(line(10, '# no key file: the keys of ssh-agent (SSH_AUTH_SOCK) are used'));
  out.push(line(10, `ansible_become: ${r.become}`, r.become ? 'through sudo (--become-password-file if it asks)' : undefined));
  return out;
}

/**
 * What playbooks/teql.yml needs to know of one router, from the wizard's answers, each fact once:
 * the loader derives the peer's addresses and network from the peer's own entry (teql_peer).
 */
export function wizardVars(m: WizardModel, side: Side): TeqlPeerHostVars {
  const devs = m.links.map((l) => l[side]);
  const net = m.networks;
  // The last ping needs an address at both ends: written only when both were given.
  const lan = net.kind === 'two' && net.lanA && net.lanB ? (side === 'a' ? net.lanA : net.lanB) : undefined;
  return {
    teql_peer: m[side === 'a' ? 'b' : 'a'].name,
    teql_slaves: devs,
    link_addresses: devs.map((dev, i) => ({ dev, address: m.addressing.links[i]![side] })),
    teql_address: m.addressing.teql[side],
    // B's network may be the Internet (LARTC's special case): A then routes `default` to B.
    lan_network: side === 'a' ? net.network1 : net.kind === 'two' ? net.network2 : 'default',
    ...(lan ? { lan_address: lan } : {}),
  };
}

/** The comments that explain each variable to whoever edits the file by hand. */
function comments(m: WizardModel, side: Side): PeerVarComments {
  const other: Side = side === 'a' ? 'b' : 'a';
  const net = m.networks;
  return {
    teql_peer: `the other end: ${m[other].name}'s addresses and network are read from its entry`,
    teql_slaves: `wired in this order to ${m[other].name}'s ${flowList(m.links.map((l) => l[other]))}`,
    link_addresses: m.addressing.block ? (side === 'a' ? `one /31 per link out of ${m.addressing.block}: A the even end` : 'the odd ends') : `${side.toUpperCase()}'s end of each link`,
    teql_address: 'the equalizer',
    lan_network: side === 'a' ? 'network 1, behind A: B routes it over the equalizer' : net.kind === 'two' ? 'network 2, behind B: A routes it over the equalizer' : "the Internet, through B: A's default route",
    lan_address: `${m[side].name}'s own address in ${side === 'a' ? 'network 1' : 'network 2'}: the last ping goes between the two`,
  };
}

function hostBlock(m: WizardModel, side: Side): string[] {
  return [line(8, `${m[side].name}:`), ...connection(m[side]), ...renderTeqlPeerVars(wizardVars(m, side), 10, comments(m, side))];
}

export function renderInventory(m: WizardModel, playbookPath: string, inventoryPath: string): string {
  // Quoted for the shell: a folder with a space broke the command copied from here (a review).
  const [inv, pb] = [shellQuote(inventoryPath), shellQuote(playbookPath)];
  const picture = drawTopology(m).split('\n').map((l) => `#   ${l}`.trimEnd());
  return [
    `# Two routers joined by ${m.links.length} links, bundled with TEQL (LARTC HOWTO, chapter 10).`,
    '# Written by `teqlctl wizard`; edit it freely. Use it with the playbook written beside it:',
    `#   teqlctl play -i ${inv} ${pb} --check    # the plan; nothing is changed`,
    `#   teqlctl play -i ${inv} ${pb} --yes      # apply, verify, roll back on failure`,
    '#',
    ...picture,
    'all:',
    '  children:',
    '    routers:',
    '      hosts:',
    ...hostBlock(m, 'a'),
    ...hostBlock(m, 'b'),
    '',
  ].join('\n');
}
