// The facts script's management section: who the SSH session's client is, how the router reaches
// it, and the routes a plan weighs whoever keeps them (parsed by management-fact.ts).
import { FALLBACK_LINE, HELD_LINE } from './management-fact.js';
import { isHashedSelector, listingLines, validSelectors } from './route-selectors.js';

/**
 * The management section: the client, then one `ip` batch: `route show match CLIENT` and `route
 * show SELECTOR` for each `match` of `selectors` (the others are listed with the facts' routes,
 * ip-batch.ts; all of these on the `held` line before, tab-separated), the session's route, the
 * rules; `@fallback` on a line of its own and the route alone where the batch failed (a failed dump
 * leaves its `[` open: parseManagement). A shell not reached over SSH (no client) lists the
 * selectors alone.
 */
export function managementCommand(selectors: readonly string[] = []): string {
  const held = validSelectors(selectors).filter((s) => !isHashedSelector(s));
  const listed = listingLines(held);
  const line = ['', ...held].join('\\t');
  const client = `tq_c=\${1#::ffff:}; tq_s=\${3#::ffff:}; tq_s=\${tq_s%%%*}; tq_z=; case $tq_c in *%*) tq_z=\${tq_c#*%}; tq_c=\${tq_c%%%*};; esac; echo "client=$tq_c port=$2 server=$tq_s"; set -- "$tq_c"; if [ -n "$tq_z" ]; then set -- "$tq_c" oif "$tq_z"; fi; printf '${HELD_LINE}\\tmatch %s${line}\\n' "$tq_c"; { printf 'route show match %s\\n' "$tq_c";${listed} printf 'route get %s%s\\nrule show\\n' "$*" "\${tq_s:+ from $tq_s}"; } | ip -j -force -batch - 2>/dev/null || { echo; echo '${FALLBACK_LINE}'; ip -j route get "$@"; }`;
  const alone = held.length > 0 ? ` else printf '${HELD_LINE}${line}\\n'; {${listed} } | ip -j -force -batch -;` : '';
  return `set -- $SSH_CONNECTION; if [ -n "$1" ]; then ${client};${alone} fi`;
}
