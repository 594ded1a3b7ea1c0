// What the loader hands to the rest of the flow: plain data, validated, templates already rendered.
import type { SourcePos } from '../errors.js';
import type { Bundle } from './bundle-types.js';
import type { Serial } from './serial.js';

export interface ConnectionSpec {
  /** Address or ssh_config alias to connect to (ansible_host, else the inventory name). */
  host: string;
  port?: number; // ansible_port; undefined means "ssh_config or 22"
  user?: string; // ansible_user
  privateKeyFile?: string; // ansible_ssh_private_key_file, `~` expanded
  /** -i / -o IdentityFile of ansible_ssh_common_args/extra_args, `~` expanded: offered after privateKeyFile. */
  argIdentityFiles?: string[];
  /** -J / -o ProxyJump of those args (or `none`): wins over ssh_config's ProxyJump. */
  proxyJump?: string;
  /** -F of those args: the ssh_config file to read instead of ~/.ssh/config and /etc/ssh/ssh_config. */
  sshConfigFile?: string;
  /** -o StrictHostKeyChecking=yes: a host key never seen is refused even with --accept-new. */
  strictHostKeys?: true;
  /** -o IdentitiesOnly= of those args: wins over ssh_config's for the host itself (not its jump hosts). */
  identitiesOnly?: boolean;
  /** Extra known_hosts file named by the inventory (teqlctl_known_hosts_file), `~` expanded. */
  knownHostsFile?: string;
  /** Where teqlctl_known_hosts_file was set, for the refusal of a file that is not there. */
  knownHostsFileAt?: SourcePos;
  become: boolean; // ansible_become
  becomeUser: string; // ansible_become_user, default root
  becomeMethod?: 'sudo' | 'doas'; // ansible_become_method, default sudo
}

export interface InventoryHost {
  name: string;
  /** All variables after Ansible's precedence: all < parent group < child group < group_vars < host < host_vars. */
  vars: Record<string, unknown>;
  groups: string[];
  connection: ConnectionSpec;
  pos: SourcePos;
}

export interface Inventory {
  /** The -i arguments, in order (files or folders). */
  sources: string[];
  hosts: Map<string, InventoryHost>;
  /** group name -> host names, `all` and `ungrouped` included. */
  groups: Map<string, string[]>;
}

export type State = 'present' | 'absent';

export interface TeqlArgs { device: string; slaves: string[]; state: State; replace: boolean }
export interface LinkArgs { dev: string; state?: 'up' | 'down' | 'absent'; mtu?: number }
export interface AddressArgs { dev: string; address: string; state: State }
export interface SysctlArgs { name: string; value?: string; state: State }
export interface RouteArgs { to: string; via?: string; dev?: string; metric?: number; state: State }
export interface PingArgs { to: string; dev?: string; from?: string; count: number; timeout: number }

export type TaskCall =
  | { module: 'teql'; args: TeqlArgs }
  | { module: 'link'; args: LinkArgs }
  | { module: 'address'; args: AddressArgs }
  | { module: 'sysctl'; args: SysctlArgs }
  | { module: 'route'; args: RouteArgs }
  | { module: 'ping'; args: PingArgs };

export type ModuleName = TaskCall['module'];

/** One task for one host, after `loop` expansion, `when` evaluation and templating. */
export type TaskInstance = TaskCall & {
  /** Task name as written (rendered), or `module` when absent; loop items get ` (item)` appended. */
  name: string;
  pos: SourcePos;
  /** Written to the router's boot configuration once the run is verified (`persist:` of the task, else of the play). */
  persist?: boolean;
};

export interface LoadedPlay {
  name: string;
  pos: SourcePos;
  /** Where its `hosts:` pattern is written. */
  hostsPos: SourcePos;
  /** Host names matched by the play's `hosts` pattern, in inventory order. */
  hosts: string[];
  /** Per host, its tasks in playbook order (tasks whose `when` is false are left out). */
  tasks: Map<string, TaskInstance[]>;
  /** `serial:`: sites per batch, or a percentage of them (the same in every play that sets it). */
  serial?: Serial;
  /** `max_fail_percentage:`: no batch starts after one whose failed bundles exceed it. */
  maxFailPercentage?: number;
}

export interface LoadedRun {
  inventory: Inventory;
  playbookFile: string;
  plays: LoadedPlay[];
  /** Every bundle of the inventory (whatever --limit selects), both ends each, in inventory order. */
  bundles: Bundle[];
  /** With --limit: the bundles it selected (both ends in the run); the others are left out. */
  selectedBundles?: string[];
  /** What the operator should know: --limit added a bundle's other end, a variable file was not read. */
  notes?: string[];
}
