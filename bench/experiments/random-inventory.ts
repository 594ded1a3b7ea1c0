// The random inventory text of the differential scripts (pattern-diff.ts, inventory-diff.ts): groups
// with hosts and children, written as INI or YAML, with variables where the caller gives them. Without
// variables the text (and the random numbers drawn) are those pattern-diff.ts has always made, so its
// seeds keep finding the same cases.

export interface RandomGroup {
  name: string;
  /** Host entries as written (`r[01:04]`, `h:2222`). */
  hosts: string[];
  children: string[];
  /** The group's own variables: name and value, as the format writes it (INI: the text after `=`). */
  vars?: Array<[string, string]>;
  /** Variables of a host entry listed under this group (INI: `k=v` words; YAML: `k: v` lines). */
  hostVars?: Map<string, Array<[string, string]>>;
}

/** What `all` holds besides its groups: its variables, and its ungrouped hosts' (ungrouped in INI before any section). */
export interface AllPart {
  vars?: Array<[string, string]>;
  hostVars?: Map<string, Array<[string, string]>>;
}

/** INI: `chance` decides whether a group without hosts still gets its own [g] section. */
export function iniText(groups: RandomGroup[], ungrouped: string[], chance: (p: number) => boolean, all: AllPart = {}): string {
  const host = (e: string, vars?: Map<string, Array<[string, string]>>) => [e, ...(vars?.get(e) ?? []).map(([k, v]) => `${k}=${v}`)].join(' ');
  const lines = ungrouped.map((e) => host(e, all.hostVars));
  for (const g of groups) {
    if (g.hosts.length || chance(0.5)) lines.push(`[${g.name}]`, ...g.hosts.map((e) => host(e, g.hostVars)));
    if (g.children.length) lines.push(`[${g.name}:children]`, ...g.children);
    if (g.vars?.length) lines.push(`[${g.name}:vars]`, ...g.vars.map(([k, v]) => `${k} = ${v}`));
  }
  if (all.vars?.length) lines.push('[all:vars]', ...all.vars.map(([k, v]) => `${k}=${v}`));
  return lines.join('\n') + '\n';
}

/** A mapping's lines at `ind`: a value holding line breaks (a block list, mapping or scalar) is indented under its key. */
function yamlVars(vars: Array<[string, string]>, ind: string): string[] {
  return vars.map(([k, v]) => `${ind}${k}:${v.startsWith('\n') ? '' : ' '}${v.replace(/\n/g, `\n${ind}`)}`);
}

export function yamlText(groups: RandomGroup[], ungrouped: string[], all: AllPart = {}): string {
  const q = (s: string) => JSON.stringify(s);
  const hostLines = (e: string, ind: string, vars?: Map<string, Array<[string, string]>>): string[] => {
    const own = vars?.get(e) ?? [];
    return own.length ? [`${ind}${q(e)}:`, ...yamlVars(own, `${ind}  `)] : [`${ind}${q(e)}: {}`];
  };
  const out = ['all:', '  hosts:', ...ungrouped.flatMap((h) => hostLines(h, '    ', all.hostVars))];
  if (all.vars?.length) out.push('  vars:', ...yamlVars(all.vars, '    '));
  out.push('  children:');
  const tops = groups.filter((g) => !groups.some((p) => p.children.includes(g.name)));
  const written = new Set<string>();
  const write = (g: RandomGroup, ind: string) => {
    out.push(`${ind}${q(g.name)}:`);
    if (written.has(g.name)) { out[out.length - 1] += ' {}'; return; }
    written.add(g.name);
    if (g.hosts.length) out.push(`${ind}  hosts:`, ...g.hosts.flatMap((h) => hostLines(h, `${ind}    `, g.hostVars)));
    if (g.children.length) {
      out.push(`${ind}  children:`);
      for (const c of g.children) write(groups.find((x) => x.name === c)!, `${ind}    `);
    }
    if (g.vars?.length) out.push(`${ind}  vars:`, ...yamlVars(g.vars, `${ind}    `));
    if (!g.hosts.length && !g.children.length && !g.vars?.length) out[out.length - 1] += ' {}';
  };
  for (const g of tops) write(g, '    ');
  if (tops.length === 0) out.push('    {}'.replace('    {}', '    none_here: {}'));
  return out.join('\n') + '\n';
}
