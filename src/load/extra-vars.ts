// `-e key=value` (Ansible's --extra-vars): the highest-precedence variables of a run. The value is
// read as a YAML scalar, so `-e teql_persist=true` gives a boolean and `-e mtu=1400` a number.
import { parse } from 'yaml';
import { ConfigError } from '../errors.js';
import type { VarLayer } from './scope.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function extraVarsLayer(pairs: readonly string[]): VarLayer {
  const layer: VarLayer = { values: {}, origins: new Map() };
  pairs.forEach((pair, i) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0 || !NAME.test(name)) {
      throw new ConfigError(`-e ${JSON.stringify(pair)}: expected name=value with a variable name such as teql_persist`, undefined, 'write e.g. -e teql_persist=true');
    }
    let value: unknown;
    try {
      value = parse(pair.slice(eq + 1));
    } catch {
      value = pair.slice(eq + 1);
    }
    layer.values[name] = value ?? '';
    layer.origins.set(name, { pos: { file: '(command line)', line: 1, col: i + 1 }, where: `-e ${name}` });
  });
  return layer;
}
