// Every file or folder under test/load/bad/ is one bad input; each must fail at an exact place with a clear message.
//   NN-name.playbook.yml   runs against test/load/good/inventory.yml
//   NN-name.inventory.yml  runs with test/load/bad/shared/ping.yml
//   NN-name/               holds its own inventory (inventory.yml, hosts.ini, hosts or an inventory/
//                          folder), playbook.yml, host_vars/, group_vars/
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorsOf } from './helpers.js';
import { loadRun } from '../../src/load/index.js';

const BAD = 'test/load/bad';
const GOOD_INVENTORY = 'test/load/good/inventory.yml';
const SHARED_PLAYBOOK = join(BAD, 'shared/ping.yml');

// [case, file:line:col of the first error (relative to bad/; '' = no position), message fragment]
const CASES: [string, string, string][] = [
  ['01-malformed-yaml.playbook.yml', '01-malformed-yaml.playbook.yml:5:1', 'invalid YAML: Flow map'],
  ['02-not-a-list.playbook.yml', '02-not-a-list.playbook.yml:1:1', 'must be a list of plays'],
  ['03-unknown-module.playbook.yml', '03-unknown-module.playbook.yml:5:7', "unknown module 'shell'"],
  ['04-two-modules.playbook.yml', '04-two-modules.playbook.yml:5:7', "two modules in one task: 'link' and 'address'"],
  ['05-unknown-argument.playbook.yml', '05-unknown-argument.playbook.yml:3:37', "unknown argument 'speed' for link"],
  ['06-wrong-type.playbook.yml', '06-wrong-type.playbook.yml:5:14', "link.mtu: expected an integer, got the string 'large'"],
  ['07-invalid-address.playbook.yml', '07-invalid-address.playbook.yml:3:38', "'10.0.0.256' in '10.0.0.256/24' is not an IPv4 address"],
  ['08-invalid-prefix.playbook.yml', '08-invalid-prefix.playbook.yml:3:38', "prefix length '33'"],
  ['09-network-address.playbook.yml', '09-network-address.playbook.yml:5:18', 'is the network address of its /24'],
  ['10-route-host-bits.playbook.yml', '10-route-host-bits.playbook.yml:3:20', 'has host bits set; the network is 198.51.100.0/24'],
  ['11-leading-zero.playbook.yml', '11-leading-zero.playbook.yml:3:19', "'010.0.0.1' is not an IPv4 address"],
  ['12-invalid-interface.playbook.yml', '12-invalid-interface.playbook.yml:3:20', 'bytes long; Linux allows at most 15'],
  ['13-interface-with-slash.playbook.yml', '13-interface-with-slash.playbook.yml:4:24', "teql.slaves[1]: interface name 'eth/2'"],
  ['14-undefined-variable.playbook.yml', '14-undefined-variable.playbook.yml:4:23', "undefined variable: 'teql_slave' is not defined"],
  ['15-bad-template-syntax.playbook.yml', '15-bad-template-syntax.playbook.yml:3:23', "bad template: unclosed '{{'"],
  ['16-unsupported-filter.playbook.yml', '16-unsupported-filter.playbook.yml:3:20', "unsupported filter 'ipaddr'"],
  ['17-pattern-no-match.playbook.yml', '17-pattern-no-match.playbook.yml:2:10', "host pattern 'switches' matches no host or group"],
  ['18-loop-not-list.playbook.yml', '18-loop-not-list.playbook.yml:4:13', "loop must give a list, but \"{{ teql_address }}\" gave the string '10.0.0.4/31'"],
  ['19-duplicate-address-one-host.playbook.yml', '19-duplicate-address-one-host.playbook.yml:4:38', 'address 10.5.0.1 is configured twice on router_a'],
  ['20-duplicate-address-two-hosts.playbook.yml', '20-duplicate-address-two-hosts.playbook.yml:4:38', 'duplicate address 192.168.1.1 on two hosts: router_b eth3 and router_a eth3'],
  ['21-slash31-same-end.playbook.yml', '21-slash31-same-end.playbook.yml:4:38', '/31 ends do not pair up: router_b and router_a both hold 10.1.0.0'],
  ['22-duplicate-yaml-key.playbook.yml', '22-duplicate-yaml-key.playbook.yml:4:7', 'Map keys must be unique'],
  ['23-when-unsupported.playbook.yml', '23-when-unsupported.playbook.yml:4:13', "when: unsupported operator '>'"],
  ['24-sysctl-absent-with-value.playbook.yml', '24-sysctl-absent-with-value.playbook.yml:3:51', 'sysctl with state: absent takes no value'],
  ['25-link-without-state-or-mtu.playbook.yml', '25-link-without-state-or-mtu.playbook.yml:4:13', 'link needs state or mtu'],
  ['26-ping-count-range.playbook.yml', '26-ping-count-range.playbook.yml:3:37', 'ping.count: must be at least 1'],
  ['27-missing-required.playbook.yml', '27-missing-required.playbook.yml:4:7', "ping: missing required argument 'to'"],
  ['28-statement-template.playbook.yml', '28-statement-template.playbook.yml:5:16', 'Jinja statements ({% ... %}) are not supported'],
  ['29-unsupported-task-keyword.playbook.yml', '29-unsupported-task-keyword.playbook.yml:4:7', "unsupported task keyword 'register'"],
  ['30-bool-as-yes.playbook.yml', '30-bool-as-yes.playbook.yml:3:46', "teql.replace: expected true or false, got the string 'yes'"],
  ['31-tasks-not-a-list.playbook.yml', '31-tasks-not-a-list.playbook.yml:3:5', 'tasks: must be a list'],
  ['32-teql-device-name.playbook.yml', '32-teql-device-name.playbook.yml:3:23', "'eql0' is not a TEQL device name"],
  ['33-route-without-via-or-dev.playbook.yml', '33-route-without-via-or-dev.playbook.yml:3:14', 'route needs via or dev'],
  ['34-when-with-braces.playbook.yml', '34-when-with-braces.playbook.yml:4:13', 'must not contain {{ }}'],
  ['35-when-not-boolean.playbook.yml', '35-when-not-boolean.playbook.yml:4:13', "gave the string '10.0.0.4/31', not true or false (host router_a)"],
  ['36-connection-var-in-play.playbook.yml', '36-connection-var-in-play.playbook.yml:3:5', 'connection variable ansible_user cannot be set in a play'],
  ['37-list-in-text.playbook.yml', '37-list-in-text.playbook.yml:3:23', 'cannot insert a list into text'],
  ['38-sysctl-name.playbook.yml', '38-sysctl-name.playbook.yml:3:23', "'ip_forward' is not a sysctl name"],
  ['39-item-attribute.playbook.yml', '39-item-attribute.playbook.yml:3:20', "item.dev does not exist (item is the string 'eth1')"],
  ['40-empty-playbook.playbook.yml', '40-empty-playbook.playbook.yml:1:1', 'the playbook is empty'],
  ['41-hosts-not-a-mapping.inventory.yml', '41-hosts-not-a-mapping.inventory.yml:5:9', "hosts of group 'routers' must be a mapping"],
  ['42-bad-port.inventory.yml', '42-bad-port.inventory.yml:5:7', 'ansible_port of host router_a must be a port number 1..65535, got "ssh"'],
  ['44-unknown-group-key.inventory.yml', '44-unknown-group-key.inventory.yml:4:7', "unknown key 'host' in group 'routers'"],
  ['45-duplicate-key.inventory.yml', '45-duplicate-key.inventory.yml:5:7', 'Map keys must be unique'],
  ['46-port-out-of-range.inventory.yml', '46-port-out-of-range.inventory.yml:7:9', 'got 70000'],
  ['47-become-not-bool.inventory.yml', '47-become-not-bool.inventory.yml:4:7', 'ansible_become of host router_a must be true or false'],
  ['48-password.inventory.yml', '48-password.inventory.yml:5:7', 'passwords are not supported'],
  ['50-host-vars-malformed', '50-host-vars-malformed/host_vars/router_a.yml:3:1', 'invalid YAML'],
  ['51-group-vars-not-mapping', '51-group-vars-not-mapping/group_vars/routers.yml:1:1', 'group_vars file must be a mapping'],
  ['52-variable-from-inventory', '52-variable-from-inventory/playbook.yml:5:49', "'192.0.2.0/24' is the network address of its /24, not a host address (from {{ lan.address }}: lan (set at test/load/bad/52-variable-from-inventory/inventory.yml:6:11, host router_a in the inventory))"],
  ['53-slash31-other-prefix', '53-slash31-other-prefix/playbook.yml:3:38', "router_b has 10.0.0.1/30 inside router_a's 10.0.0.0/31"],
  ['54-missing-playbook', '', "cannot read playbook 'test/load/bad/54-missing-playbook/playbook.yml': no such file"],
  ['55-missing-inventory', '', "cannot read inventory 'test/load/bad/55-missing-inventory/inventory.yml': no such file"],
  ['56-inventory-template-undefined', '56-inventory-template-undefined/inventory.yml:4:7', "ansible_host of host router_a: undefined variable: 'mgmt_address'"],
  ['57-no-hosts.inventory.yml', '57-no-hosts.inventory.yml:2:3', 'the inventory lists no hosts'],
  ['58-persist-not-boolean.playbook.yml', '58-persist-not-boolean.playbook.yml:2:12', 'persist: must be true or false'],
  ['59-persist-template-gives-string.playbook.yml', '59-persist-template-gives-string.playbook.yml:4:16', 'gave the string'],
  ['60-link-absent-with-mtu.playbook.yml', '60-link-absent-with-mtu.playbook.yml:3:46', 'link with state: absent takes no mtu'],
  ['61-sysctl-without-value.playbook.yml', '61-sysctl-without-value.playbook.yml:3:15', 'sysctl needs a value'],
  ['63-become-method.inventory.yml', '63-become-method.inventory.yml:5:7', "ansible_become_method of host router_a"],
  ['64-ini-unclosed-quote', '64-ini-unclosed-quote/hosts.ini:2:46', 'invalid INI inventory: no closing quotation'],
  ['65-ini-undeclared-child', '65-ini-undeclared-child/hosts.ini:6:1', "invalid INI inventory: section [southeast:children] lists group 'raleigh', which no section declares"],
  ['67-inventory-script', '67-inventory-script/inventory/02-dynamic-inventory.py:1:1', 'is a dynamic inventory script (its name ends in .py)'],
  ['68-vault-group-vars', '68-vault-group-vars/group_vars/routers/vault.yml:1:1', 'is encrypted with Ansible Vault'],
  ['69-inventory-plugin.inventory.yml', '69-inventory-plugin.inventory.yml:1:1', "inventory plugin 'amazon.aws.aws_ec2' is not supported"],
  ['70-inline-vault.inventory.yml', '70-inline-vault.inventory.yml:5:32', 'a !vault value (Ansible Vault) is not supported'],
  ['71-group-vars-two-files', '71-group-vars-two-files/group_vars/routers.yaml:1:1', 'both exist; Ansible reads only'],
  ['72-host-range-width.inventory.yml', '72-host-range-width.inventory.yml:5:9', "host range 'router[01:9]': '01' and '9' differ in width"],
  ['73-ini-bad-host-var', '73-ini-bad-host-var/hosts.ini:2:33', "expected name=value after host 'router_a', got 'admin'"],
  // Pair checks (issue 15): each points at the variable of the second end, or of the host at fault.
  ['74-link-ends-two-subnets.inventory.yml', '74-link-ends-two-subnets.inventory.yml:17:11', 'the two ends of link 2 (router_a eth2 - router_b eth2) are not in one subnet: router_a has 10.0.0.2/31'],
  ['75-link-ends-same-address.inventory.yml', '75-link-ends-same-address.inventory.yml:17:11', 'both ends of link 2 (router_a eth2 - router_b eth2) have the same address'],
  ['76-equalizer-not-paired.inventory.yml', '76-equalizer-not-paired.inventory.yml:20:11', 'the two ends of the equalizer (router_a teql0 - router_b teql0) are not in one subnet'],
  ['77-peer-network-overlaps.inventory.yml', '77-peer-network-overlaps.inventory.yml:21:11', "router_a routes 192.0.0.0/16 (router_b's lan_network) to its peer, which overlaps its own network 192.0.2.0/24"],
  ['78-slave-in-two-bundles.inventory.yml', '78-slave-in-two-bundles.inventory.yml:8:11', 'hub eth2 is a slave of two bundles: hub:teql0<->branch1:teql0 and hub:teql1<->branch2:teql0'],
  ['79-equalizer-twice-on-host.inventory.yml', '79-equalizer-twice-on-host.inventory.yml:8:11', 'hub uses teql0 for two bundles'],
  ['80-peer-not-a-host.inventory.yml', '80-peer-not-a-host.inventory.yml:7:11', "teql_peer of host router_a names 'router_c', which is not a host of the inventory"],
  ['81-peer-not-mutual.inventory.yml', '81-peer-not-mutual.inventory.yml:7:11', 'teql_peer of host router_a names router_b, but router_b does not name router_a back'],
  ['82-mtu-differs', '82-mtu-differs/playbook.yml:4:50', 'the two ends of a wire get different MTUs: router_a eth1 gets mtu 9000'],
  ['83-peer-variable-disagrees.inventory.yml', '83-peer-variable-disagrees.inventory.yml:11:11', 'peer_teql_address of host router_a is "10.0.0.6", but its teql_peer router_b gives "10.0.0.5"'],
  ['84-yaml-1-1-directive.playbook.yml', '84-yaml-1-1-directive.playbook.yml:1:1', '%YAML 1.1: teqlctl reads YAML 1.2 only'],
  ['85-two-merge-keys.inventory.yml', '85-two-merge-keys.inventory.yml:10:11', 'Map keys must be unique'],
  ['86-rp-filter-value.playbook.yml', '86-rp-filter-value.playbook.yml:3:60', "net.ipv4.conf.eth1.rp_filter takes 0 (off), 1 (strict) or 2 (loose), not '3'"],
  ['87-latin1.inventory.yml', '87-latin1.inventory.yml:6:42', 'is not UTF-8 text (byte 0xe9 at line 6, column 42)'],
  // Ansible refuses it as well (as a host range): the message names the ; and what to write.
  ['88-ini-semicolon-after-section', '88-ini-semicolon-after-section/hosts.ini:1:11', "invalid INI inventory: a comment after the section [routers] starts with ';'"],
  ['89-overlapping-subnets.playbook.yml', '89-overlapping-subnets.playbook.yml:5:38', 'router_a: 10.6.0.3/29 on eth4 is in the subnet of 10.6.0.1/29 on eth3'],
  ['90-lan-address-outside-lan-network.inventory.yml', '90-lan-address-outside-lan-network.inventory.yml:12:11', 'lan_address 203.0.113.1 of host router_a is not in its lan_network 192.0.2.0/24'],
  ['91-host-vars-nested.inventory.yml', '91-host-vars-nested.inventory.yml:4:7', "host 'router_a' has 'vars:' with variables under it: a host's variables go directly under its name"],
  ['92-no-plays.playbook.yml', '92-no-plays.playbook.yml:1:1', 'the playbook holds no play'],
  ['93-merge-not-a-mapping.inventory.yml', '93-merge-not-a-mapping.inventory.yml:5:7', 'a merge key (<<) must bring in a mapping'],
  ['94-merge-in-vars.playbook.yml', '94-merge-in-vars.playbook.yml:4:5', 'a merge key (<<) must bring in a mapping'],
];

function filesOf(name: string): { inventory: string; playbook: string } {
  if (name.endsWith('.playbook.yml')) return { inventory: GOOD_INVENTORY, playbook: join(BAD, name) };
  if (name.endsWith('.inventory.yml')) return { inventory: join(BAD, name), playbook: SHARED_PLAYBOOK };
  const inventory = ['inventory.yml', 'hosts.ini', 'hosts', 'inventory'].map((f) => join(BAD, name, f)).find((f) => existsSync(f));
  return { inventory: inventory ?? join(BAD, name, 'inventory.yml'), playbook: join(BAD, name, 'playbook.yml') };
}

describe('bad inputs', () => {
  it('lists every case in the corpus, and has at least 30', () => {
    const onDisk = readdirSync(BAD).filter((n) => n !== 'shared').sort();
    expect(CASES.map(([name]) => name)).toEqual(onDisk);
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('%s fails at %s', (name, where, fragment) => {
    const { inventory, playbook } = filesOf(name);
    const errors = errorsOf(() => loadRun(inventory, playbook));
    expect(errors.length).toBeGreaterThan(0);
    const first = errors[0]!;
    expect(first.pos ? `${first.pos.file}:${first.pos.line}:${first.pos.col}` : '').toBe(where && join(BAD, where));
    expect(first.message).toContain(fragment);
    expect(first.exitCode).toBe(2);
    // The inventory refusals and pair checks (64 on) each say what to do instead.
    if (Number(name.slice(0, 2)) >= 64) expect(first.hint ?? '').not.toBe('');
  });
});
