// Pure: teqlctl's facts script rewritten to print the same output with fewer processes on the
// router (builtin `read` instead of `$(cat ...)`, no modinfo once sch_teql is loaded). The change
// the bench recommends for src/gather/script.ts; measured by bench/experiments/facts-script.ts.

/** The same output with fewer fork+execs: each rewrite must apply, or the script has changed. */
export function leanFactsScript(script: string): string {
  const rewrites: Array<[RegExp, string]> = [
    [/printf "%s\\t%s\\n" "\$f" "\$\(cat "\$f"\)"/, 'read v < "$f"; printf "%s\\t%s\\n" "$f" "$v"'],
    [/printf "%s\\t%s\\n" (\S+) "\$\(cat \1\)"/g, 'read v < $1; printf "%s\\t%s\\n" $1 "$v"'],
    [/cat (\/sys\/module\/sch_teql\/parameters\/max_equalizers) 2>\/dev\/null \| sed "s\/\^\/max=\/"/, '{ read m < $1 && echo "max=$m"; } 2>/dev/null'],
    [/if modinfo -F filename sch_teql >\/dev\/null 2>&1 \|\| \[ -d \/sys\/module\/sch_teql \]/, 'if [ -d /sys/module/sch_teql ] || modinfo -F filename sch_teql >/dev/null 2>&1'],
  ];
  let out = script;
  for (const [re, to] of rewrites) {
    if (!re.test(out)) throw new Error(`the facts script changed: ${re} no longer matches`);
    out = out.replace(re, to);
  }
  return out;
}
