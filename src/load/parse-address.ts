// Ansible's parse_address (ansible/parsing/utils/addresses.py, 2.14), as the inventory plugins use
// it on a host entry: a trailing `:port` is split off only when what is left is an IPv4 address, an
// IPv6 address or a host name (ranges allowed). Otherwise the whole entry is the host's name:
// `admin@r1:2222` and `r1.example.com.:2222` are hosts of those names, with no port, to Ansible.

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const V6 = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const V4 = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
// Python's \w under re.UNICODE: letters, digits (any script) and _.
const WORD = String.raw`[\p{L}\p{N}_]`;
// One class for what may follow (Python's [\w_-]): two alternatives that both match `_` made a
// long run of underscores backtrack exponentially (a review: 26 of them took 5.5 s).
const WORD_OR_DASH = String.raw`[\p{L}\p{N}_-]`;
const LABEL = `(?:${WORD}|${ALNUM_RANGE})(?:${WORD_OR_DASH}|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(`^(?:${V4}\\.){3}${V4}$`, 'i');
// As Python reads Ansible's pattern: its ^ and $ bind to the first and last alternatives only, and
// re.match anchors the start. So any entry that starts like an IPv6 address passes as a whole
// (`fe80::1%eth0`, `1:2:3:4:5:6:7:8:22`): the name is then the entry, with no port.
const IPV6 = new RegExp(
  '^(?:' +
    [
      `(?:${V6}:){7}${V6}`,
      `(?:${V6}:){1,6}:`,
      `(?:${V6}:)(?::${V6}){1,6}`,
      `(?:${V6}:){2}(?::${V6}){1,5}`,
      `(?:${V6}:){3}(?::${V6}){1,4}`,
      `(?:${V6}:){4}(?::${V6}){1,3}`,
      `(?:${V6}:){5}(?::${V6}){1,2}`,
      `(?:${V6}:){6}(?::${V6})`,
      `:(?::${V6}){1,6}`,
      `${V6}?::`,
      `(?:0:){6}(?:${V6}\\.){3}${V6}`,
      `::(?:ffff:)?(?:${V6}\\.){3}${V6}`,
      `(?:0:){5}ffff:(?:${V6}\\.){3}${V6}$`,
    ].join('|') +
    ')',
  'i',
);
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu');

/**
 * The host (ranges unexpanded) and port of `address` as parse_address(address, allow_ranges=True)
 * reads them; undefined where it raises (the caller then takes the whole entry as the name).
 */
export function parseAddress(address: string): { host: string; port?: number } | undefined {
  let rest = address;
  let port: number | undefined;
  // Both are tried, in turn, as Ansible does: `[r1:22]:2222` is r1 on port 22.
  for (const pattern of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = pattern.exec(rest);
    if (m) {
      rest = m[1]!;
      port = Number(m[2]);
    }
  }
  if (!IPV4.test(rest) && !IPV6.test(rest) && !HOSTNAME.test(rest)) return undefined;
  return port === undefined ? { host: rest } : { host: rest, port };
}
