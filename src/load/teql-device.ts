// Which equalizer names a playbook or a bundle may ask for. sch_teql makes every equalizer below the
// highest one asked for (max_equalizers), each a network device: teql99999999 would make a hundred
// million of them (and teqlctl's plan one fake link each). The kernel never names one teql01.

/** The highest equalizer index accepted: 256 equalizers on one router is past any real bundle count. */
export const MAX_TEQL_INDEX = 255;

/** Why `name` is not an equalizer teqlctl can ask for, or undefined when it is. */
export function teqlDeviceProblem(name: string): string | undefined {
  const m = /^teql(\d+)$/.exec(name);
  if (!m) return `"${name}" is not a TEQL device name`;
  if (m[1]!.length > 1 && m[1]!.startsWith('0')) return `"${name}": the kernel names equalizers teql0, teql1, ..., without leading zeros`;
  if (Number(m[1]) > MAX_TEQL_INDEX) return `"${name}": teqlctl takes equalizers teql0 to teql${MAX_TEQL_INDEX} (sch_teql makes every equalizer below the highest one asked for)`;
  return undefined;
}
