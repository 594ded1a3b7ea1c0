import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { argNames, moduleSchemas, MODULE_NAMES } from '../../src/load/module-schemas.js';
import { argIssues } from '../../src/load/zod-issues.js';

describe('module schemas', () => {
  it('fill the defaults', () => {
    expect(moduleSchemas.teql.parse({ slaves: ['eth1'] })).toEqual({ device: 'teql0', slaves: ['eth1'], state: 'present', replace: false });
    expect(moduleSchemas.address.parse({ dev: 'eth1', address: '10.0.0.1/31' })).toEqual({ dev: 'eth1', address: '10.0.0.1/31', state: 'present' });
    expect(moduleSchemas.sysctl.parse({ name: 'net.ipv4.ip_forward', value: 1 })).toEqual({ name: 'net.ipv4.ip_forward', value: '1', state: 'present' });
    expect(moduleSchemas.route.parse({ to: 'default', via: '10.0.0.5' })).toEqual({ to: 'default', via: '10.0.0.5', state: 'present' });
    expect(moduleSchemas.ping.parse({ to: '10.0.0.1' })).toEqual({ to: '10.0.0.1', count: 3, timeout: 2 });
    expect(moduleSchemas.link.parse({ dev: 'eth1', mtu: 9000 })).toEqual({ dev: 'eth1', mtu: 9000 });
  });

  it('reject what the modules cannot do', () => {
    const bad: [keyof typeof moduleSchemas, unknown, string][] = [
      ['teql', { slaves: ['eth1', 'eth1'] }, "slave 'eth1' is listed twice"],
      ['teql', { device: 'teqlx', slaves: ['eth1'] }, 'not a TEQL device name'],
      ['link', { dev: 'eth1', mtu: 67 }, 'link.mtu: must be at least 68'],
      ['link', { dev: 'eth1', mtu: 65536 }, 'link.mtu: must be at most 65535'],
      ['link', { dev: 'eth1', mtu: 1500.5 }, 'link.mtu: expected an integer'],
      ['link', { dev: 'eth1', state: 'UP' }, 'link.state: must be one of up, down'],
      ['sysctl', { name: 'net.ipv4.ip_forward', value: true }, 'sysctl.value: expected a string or a number'],
      ['sysctl', { name: 'net/ipv4/ip_forward', value: 1 }, 'is not a sysctl name'],
      ['route', { to: '10.0.0.0/8', metric: -1, dev: 'eth1' }, 'route.metric: must be at least 0'],
      ['route', { to: 'default', via: '10.0.0.256' }, 'route.via:'],
      ['ping', { to: '10.0.0.1', count: 101 }, 'ping.count: must be at most 100'],
      ['ping', { to: '10.0.0.1', from: 'eth1' }, "ping.from: 'eth1' is not an IPv4 address"],
      ['address', { dev: 'eth1', address: '10.0.0.1/24', state: 'gone' }, 'address.state: must be one of present, absent'],
    ];
    for (const [module, args, fragment] of bad) {
      const r = moduleSchemas[module].safeParse(args, { reportInput: true });
      expect(r.success, fragment).toBe(false);
      const messages = argIssues(module, r.error!.issues).map((i) => i.message);
      expect(messages.join('\n'), fragment).toContain(fragment);
    }
  });

  it('give a hint for text that should be a number or a boolean', () => {
    const r = moduleSchemas.link.safeParse({ dev: 'eth1', mtu: '9000' }, { reportInput: true });
    expect(argIssues('link', r.error!.issues)[0]?.hint).toContain('| int');
  });

  it('name unknown arguments at their key and list the known ones', () => {
    const r = moduleSchemas.ping.safeParse({ to: '10.0.0.1', ttl: 3 }, { reportInput: true });
    expect(argIssues('ping', r.error!.issues)).toEqual([
      { path: ['ttl'], atKey: true, message: "unknown argument 'ttl' for ping", hint: 'ping takes: to, dev, from, count, timeout' },
    ]);
  });

  it('export to JSON schema for editors', () => {
    for (const name of MODULE_NAMES) {
      const schema = z.toJSONSchema(moduleSchemas[name], { io: 'input' }) as { properties: Record<string, unknown>; additionalProperties: boolean };
      expect(Object.keys(schema.properties)).toEqual(argNames(name));
      expect(schema.additionalProperties).toBe(false);
    }
  });
});
