// The playbook the wizard writes: the tasks and variable names of playbooks/teql.yml (a unit test
// holds the two equal), with a header that names its inventory. Pure.
import { shellQuote } from '../router/shell-quote.js';

const TASKS = `- name: Load sharing over multiple interfaces (LARTC chapter 10)
  hosts: routers
  # true (-e teql_persist=true, or teql_persist: true in the inventory): once every check passed,
  # the boot configuration is written to match, so the routers come back load-sharing after a reboot.
  persist: "{{ teql_persist | default(false) | bool }}"
  tasks:
    - name: links up
      link: { dev: "{{ item }}", state: up }
      loop: "{{ teql_slaves }}"
    # Loads sch_teql (tc does not), makes teql0 the root qdisc of each slave, then brings teql0 up.
    - name: equalize over the links
      teql: { device: "{{ teql_device | default('teql0') }}", slaves: "{{ teql_slaves }}" }
    - name: link addresses
      address: { dev: "{{ item.dev }}", address: "{{ item.address }}" }
      loop: "{{ link_addresses }}"
    - name: equalizer address
      address: { dev: "{{ teql_device | default('teql0') }}", address: "{{ teql_address }}" }
    # Replies to traffic sent over teql0 come back on the links: strict reverse-path filtering
    # would drop them. The kernel uses max(conf.all, conf.<dev>); teqlctl handles \`all\` safely.
    - name: no reverse-path filtering on the links
      sysctl: { name: "net.ipv4.conf.{{ item }}.rp_filter", value: 0 }
      loop: "{{ teql_slaves }}"
    # Per-packet balancing reorders TCP segments (README "Caveats"): -e teql_tcp_reordering=30.
    - name: tolerate reordering in TCP
      sysctl: { name: net.ipv4.tcp_reordering, value: "{{ teql_tcp_reordering }}" }
      when: teql_tcp_reordering is defined
    - name: route to the other network over the equalizer
      route: { to: "{{ peer_network }}", via: "{{ peer_teql_address }}" }
    # Both ends must take part: these pings run once both routers have applied everything above.
    - name: verify over each link and the equalizer
      ping: { to: "{{ item }}" }
      loop: "{{ peer_addresses }}"
    - name: verify from network 1 to network 2 through the equalizer
      ping: { to: "{{ peer_lan_address }}", from: "{{ lan_address }}" }
      when: lan_address is defined
`;

export function renderPlaybook(inventoryPath: string, playbookPath: string): string {
  return [
    '# LARTC HOWTO, chapter 10 "Load sharing over multiple interfaces", for the two routers of',
    `# ${inventoryPath}. Written by \`teqlctl wizard\`: the same tasks and variables as playbooks/teql.yml.`,
    '#',
    `#   teqlctl play -i ${shellQuote(inventoryPath)} ${shellQuote(playbookPath)} --check   # show the plan`,
    `#   teqlctl play -i ${shellQuote(inventoryPath)} ${shellQuote(playbookPath)} --yes     # converge, verify, roll back on failure`,
    `#   ... -e teql_persist=true   # also write the boot configuration; playbooks/teardown.yml undoes it all`,
    TASKS,
  ].join('\n');
}
