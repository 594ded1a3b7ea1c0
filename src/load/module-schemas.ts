// The arguments of each module, as zod schemas: validated after templating, per host, with defaults filled.
// Exported for reuse (a JSON schema for editors: z.toJSONSchema(schema, { io: 'input' })).
import { rpFilterDevice } from '../router/sysctl-path.js';
import { MAX_TEQL_INDEX, teqlDeviceProblem } from './teql-device.js';
import * as z from 'zod';
import { checkHostCidr, checkInterfaceName, checkIPv4, checkNetworkCidr } from './net.js';
import { codePoint, shown } from './shown.js';
import type { AddressArgs, LinkArgs, ModuleName, PingArgs, RouteArgs, SysctlArgs, TeqlArgs } from './types.js';

/** A refinement from a check that returns why a value is wrong (and optionally a hint). */
function by<T>(check: (v: T) => string | undefined, hint?: string) {
  return (v: T, ctx: z.RefinementCtx) => {
    const why = check(v);
    if (why) ctx.addIssue({ code: 'custom', message: why, params: hint ? { hint } : undefined });
  };
}

const ifname = z.string().superRefine(by(checkInterfaceName, 'use the name `ip link` shows, e.g. eth1')).describe('Linux interface name: 1..15 bytes of printable ASCII, no /, : or whitespace');
const ipv4 = z.string().superRefine(by(checkIPv4, 'write an address such as 192.0.2.1')).describe('IPv4 address, strict dotted quad');
// ASCII segments joined by dots; a per-device name holds the interface (net.ipv4.conf.eth0.100.rp_filter).
const SYSCTL_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;

function checkSysctlName(v: string): string | undefined {
  return v.length <= 255 && SYSCTL_NAME.test(v) ? undefined : `${shown(v)} is not a sysctl name`;
}

/** Written to /proc/sys, which takes one page: no line breaks or other control characters (a tab is fine). */
function checkSysctlValue(v: string): string | undefined {
  const bytes = Buffer.byteLength(v);
  if (bytes > 4096) return `the value is ${bytes} bytes long; a sysctl takes at most 4096`;
  const bad = /[^\P{Cc}\t]|\p{Cf}/u.exec(v)?.[0];
  return bad === undefined ? undefined : `the value ${shown(v)} contains a control or invisible character (${codePoint(bad)})`;
}

const state = z.enum(['present', 'absent']).default('present').describe('present (default) or absent');

export const teqlArgs = z
  .strictObject({
    device: z
      .string()
      .superRefine(by((v) => (/^teql\d+$/.test(v) ? teqlDeviceProblem(v) ?? checkInterfaceName(v) : `${shown(v)} is not a TEQL device name`), `TEQL devices are named teql0, teql1, ... up to teql${MAX_TEQL_INDEX}`))
      .default('teql0')
      .describe('the TEQL device, teqlN (default teql0)'),
    slaves: z
      .array(ifname)
      .min(1)
      .superRefine(by((list) => {
        const dup = list.find((s, i) => list.indexOf(s) !== i);
        return dup === undefined ? undefined : `slave ${shown(dup)} is listed twice`;
      }))
      .describe('interfaces whose traffic the TEQL device shares (non-empty)'),
    state,
    replace: z.boolean().default(false).describe('allow replacing a non-default root qdisc on a slave (default false)'),
  })
  .describe('a TEQL device sharing its traffic over slave interfaces (LARTC ch. 10)');

export const linkArgs = z
  .strictObject({
    dev: ifname,
    state: z.enum(['up', 'down', 'absent']).optional().describe('up, down, or absent (back to how it was before teqlctl first changed it)'),
    mtu: z.int().min(68).max(65535).optional().describe('MTU, 68..65535'),
  })
  .superRefine((a, ctx) => {
    if (a.state === undefined && a.mtu === undefined) {
      ctx.addIssue({ code: 'custom', message: 'link needs state or mtu (or both)', params: { hint: 'add state: up, or mtu: 1500' } });
    }
    if (a.state === 'absent' && a.mtu !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['mtu'], message: 'link with state: absent takes no mtu: it restores the MTU the link had before teqlctl', params: { hint: 'remove mtu' } });
    }
  })
  .describe('the state and MTU of an interface');

export const addressArgs = z
  .strictObject({
    dev: ifname,
    address: z.string().superRefine(by(checkHostCidr, 'write the interface\'s own address with its prefix length, e.g. 10.0.0.1/24 or 10.0.0.0/31')).describe('IPv4 host address with prefix, e.g. 10.0.0.1/31'),
    state,
  })
  .describe('an IPv4 address on an interface');

export const sysctlArgs = z
  .strictObject({
    name: z
      .string()
      .superRefine(by(checkSysctlName, 'write it dotted, e.g. net.ipv4.ip_forward: ASCII letters, digits, _ and -, between dots'))
      .describe('dotted sysctl name, e.g. net.ipv4.ip_forward'),
    value: z
      .union([z.string(), z.number()])
      .transform(String)
      .superRefine(by(checkSysctlValue, 'write the value on one line; separate several numbers with spaces or tabs'))
      // An empty value would fail only on the router (`sysctl -w name=` is an invalid argument), after other steps ran.
      .superRefine(by((v) => (v.trim() === '' ? `the value is ${v === '' ? 'empty' : 'only blanks'}` : undefined), 'give the value to set, e.g. value: 1; to put back the value it had before teqlctl, write state: absent without a value'))
      .optional()
      .describe('the value, a string or a number (required unless state is absent)'),
    state,
  })
  .superRefine((a, ctx) => {
    if (a.state === 'present' && a.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'sysctl needs a value', params: { hint: 'add value: ..., or state: absent to restore the value it had before teqlctl changed it' } });
    }
    const kind = a.value === undefined ? undefined : knownSysctlProblem(a.name, a.value);
    if (kind) ctx.addIssue({ code: 'custom', path: ['value'], message: kind.message, params: { hint: kind.hint } });
    if (a.state === 'absent' && a.value !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'sysctl with state: absent takes no value: it restores the value recorded before teqlctl first changed it',
        params: { hint: 'remove value, or use state: present to set it' },
      });
    }
  })
  .describe('a kernel parameter');

/**
 * The values the kernel takes for the sysctls teqlctl's playbooks set: a wrong one would only fail
 * at apply time, after other steps ran (and be rolled back).
 */
function knownSysctlProblem(name: string, value: string): { message: string; hint: string } | undefined {
  if (rpFilterDevice(name) !== undefined && !/^[012]$/.test(value)) {
    return { message: `${name} takes 0 (off), 1 (strict) or 2 (loose), not ${shown(value)}`, hint: 'the chapter turns it off on the links: value: 0' };
  }
  if (name === 'net.ipv4.tcp_reordering' && !/^[1-9]\d{0,5}$/.test(value)) {
    return { message: `${name} takes a whole number of segments from 1 (the kernel's default is 3), not ${shown(value)}`, hint: 'e.g. value: 30' };
  }
  return undefined;
}

export const routeArgs = z
  .strictObject({
    to: z
      .string()
      .superRefine(by((v) => (v === 'default' ? undefined : checkNetworkCidr(v)), "write a network such as 192.0.2.0/24, or 'default'"))
      // The kernel's name for it, once, for every reader: the boot script looked up 0.0.0.0/0 among
      // the routes as written, found none and left the device out (a review, 2026-12-07).
      .transform((v) => (v === '0.0.0.0/0' ? 'default' : v))
      .describe("destination network (host bits zero) or 'default'"),
    via: ipv4.optional().describe('gateway IPv4 address'),
    dev: ifname.optional(),
    metric: z.int().min(0).max(4294967295).optional().describe('route metric'),
    state,
  })
  .superRefine((a, ctx) => {
    if (a.via === undefined && a.dev === undefined) {
      ctx.addIssue({ code: 'custom', message: 'route needs via or dev (or both)', params: { hint: 'add via: <gateway> or dev: <interface>' } });
    }
  })
  .describe('an IPv4 route');

export const pingArgs = z
  .strictObject({
    to: ipv4.describe('address to ping'),
    dev: ifname.optional().describe('send through this interface'),
    from: ipv4.optional().describe('source address'),
    count: z.int().min(1).max(100).default(3).describe('echo requests, 1..100 (default 3)'),
    timeout: z.int().min(1).max(60).default(2).describe('seconds to wait for each reply, 1..60 (default 2)'),
  })
  .describe('a reachability check run during verify; changes nothing');

export const moduleSchemas = {
  teql: teqlArgs,
  link: linkArgs,
  address: addressArgs,
  sysctl: sysctlArgs,
  route: routeArgs,
  ping: pingArgs,
} as const satisfies Record<ModuleName, z.ZodType>;

export const MODULE_NAMES = Object.keys(moduleSchemas) as ModuleName[];

export function isModuleName(name: string): name is ModuleName {
  return Object.prototype.hasOwnProperty.call(moduleSchemas, name);
}

/** The argument names a module accepts. */
export function argNames(module: ModuleName): string[] {
  return Object.keys(moduleSchemas[module].shape);
}

// The schemas must produce exactly the argument types of types.ts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [
  Same<z.output<typeof teqlArgs>, TeqlArgs>,
  Same<z.output<typeof linkArgs>, LinkArgs>,
  Same<z.output<typeof addressArgs>, AddressArgs>,
  Same<z.output<typeof sysctlArgs>, SysctlArgs>,
  Same<z.output<typeof routeArgs>, RouteArgs>,
  Same<z.output<typeof pingArgs>, PingArgs>,
] = [true, true, true, true, true, true];
void sameTypes;
