// The JSON Schemas that ship in docs/json-schema/, compiled once with ajv (draft 2020-12, strict).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

const DIR = join(import.meta.dirname, '../../docs/json-schema');
const ajv = new Ajv2020({ strict: true, allErrors: true });

export type SchemaName = 'run' | 'status' | 'error';

/** The schema's problems with `doc` as readable lines; [] when it conforms. */
export function schemaErrors(name: SchemaName, doc: unknown): string[] {
  const validate = ajv.getSchema(name) ?? (ajv.addSchema(JSON.parse(readFileSync(join(DIR, `${name}.schema.json`), 'utf8')), name), ajv.getSchema(name)!);
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
