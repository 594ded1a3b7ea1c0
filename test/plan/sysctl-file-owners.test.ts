// A sysctl file that sets strict reverse-path filtering puts it back over the run's when it is
// applied again, and the bundle's replies are dropped: said with the plan, naming the line (a
// review of routers' own managers). Loose (2) breaks nothing and is not said.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { chapterTasks, pristineFacts } from '../helpers/facts.js';
import type { Facts, SysctlFileSetting } from '../../src/gather/facts.js';

const withFiles = (sysctlFiles: SysctlFileSetting[]): Facts => ({ ...pristineFacts(), boot: { files: [], networkd: {}, ifupdown: [], sysctlFiles } });

describe('sysctl files setting rp_filter', () => {
  it('strict on all (which the run brings down), on a slave, or by a glob: each line said once, with what it overwrites', () => {
    const { plan } = planHost('router_a', chapterTasks(), withFiles([
      { at: '/etc/sysctl.d/99-stig.conf:4', key: 'net.ipv4.conf.all.rp_filter', value: '1' },
      { at: '/etc/sysctl.conf:9', key: 'net.ipv4.conf.eth2.rp_filter', value: '1' },
      { at: '/etc/sysctl.d/10-x.conf:1', key: 'net.ipv4.conf.eth*.rp_filter', value: ' 1' },
    ]));
    // The last setting of each name in the order the files apply counts: eth2's is sysctl.conf's (applied as 99-sysctl.conf), after 10-x.conf's glob.
    expect(plan.warnings).toEqual([
      expect.stringMatching(/^\/etc\/sysctl\.d\/10-x\.conf:1 sets net\.ipv4\.conf\.eth\*\.rp_filter = 1 .* this run's net\.ipv4\.conf\.eth1\.rp_filter = 0, and/),
      expect.stringMatching(/^\/etc\/sysctl\.conf:9 sets net\.ipv4\.conf\.eth2\.rp_filter = 1 .* this run's net\.ipv4\.conf\.eth2\.rp_filter = 0, and/),
      '/etc/sysctl.d/99-stig.conf:4 sets net.ipv4.conf.all.rp_filter = 1 (strict reverse-path filtering): applied again (at boot, systemd-sysctl restarted by a package upgrade, sysctl --system), it writes over this run\'s net.ipv4.conf.all.rp_filter = 0, and the replies that come back over the other links are dropped; set it to 0, or 2 (loose), there',
    ]);
  });

  it('a later file that sets it otherwise wins; a glob does not reach a name a -name line leaves out; all is said though already down; a slave wanted loose (2) is said too (a review of this session)', () => {
    const settings: SysctlFileSetting[] = [
      { at: '/usr/lib/sysctl.d/50-default.conf:20', key: 'net.ipv4.conf.*.rp_filter', value: '1' },
      { at: '/usr/lib/sysctl.d/50-default.conf:21', key: 'net.ipv4.conf.all.rp_filter', value: '', exclude: true },
      { at: '/etc/sysctl.d/90-local.conf:1', key: 'net.ipv4.conf.eth1.rp_filter', value: '0' },
    ];
    const down: Facts = { ...withFiles(settings), sysctls: { ...pristineFacts().sysctls, 'net.ipv4.conf.all.rp_filter': '0' } };
    const tasks = chapterTasks().map((t) => (t.module === 'sysctl' && t.args.name.includes('eth2') ? { ...t, args: { ...t.args, value: '2' } } : t));
    expect(planHost('router_a', tasks, down).plan.warnings).toEqual([expect.stringMatching(/^\/usr\/lib\/sysctl\.d\/50-default\.conf:20 sets net\.ipv4\.conf\.\*\.rp_filter = 1 .* this run's net\.ipv4\.conf\.eth2\.rp_filter = 2, and/)]);
    const strictAll = withFiles([{ at: '/etc/sysctl.conf:3', key: 'net.ipv4.conf.all.rp_filter', value: '1' }]);
    expect(planHost('router_a', chapterTasks(), { ...strictAll, sysctls: { ...strictAll.sysctls, 'net.ipv4.conf.all.rp_filter': '0' } }).plan.warnings).toEqual([expect.stringContaining("this run's net.ipv4.conf.all.rp_filter = 0")]);
  });

  it('loose (2), strict on an interface the run leaves alone, or a play without rp_filter tasks: nothing said', () => {
    const files = withFiles([{ at: '/usr/lib/sysctl.d/50-default.conf:22', key: 'net.ipv4.conf.*.rp_filter', value: '2' }, { at: '/etc/sysctl.conf:1', key: 'net.ipv4.conf.eth0.rp_filter', value: '1' }]);
    expect(planHost('router_a', chapterTasks(), files).plan.warnings).toBeUndefined();
    const strictAll = withFiles([{ at: '/etc/sysctl.conf:1', key: 'net.ipv4.conf.all.rp_filter', value: '1' }]);
    expect(planHost('router_a', chapterTasks().filter((t) => t.module !== 'sysctl'), strictAll).plan.warnings).toBeUndefined();
  });
});
