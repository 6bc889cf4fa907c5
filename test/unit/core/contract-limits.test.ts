import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../../shared/ipc/contract';

type JsonSchema = {
  type?: string | string[];
  maxLength?: number;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
};

/** Every string a schema takes that has no maximum length (an enum or a constant is bounded by itself). */
function unboundedStrings(schema: JsonSchema, path: string, out: string[]): void {
  const isString = schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'));
  if (isString && schema.maxLength === undefined && schema.enum === undefined && schema.const === undefined) out.push(path);
  for (const [key, child] of Object.entries(schema.properties ?? {})) unboundedStrings(child, `${path}.${key}`, out);
  if (typeof schema.additionalProperties === 'object') unboundedStrings(schema.additionalProperties, `${path}.*`, out);
  if (schema.propertyNames) unboundedStrings(schema.propertyNames, `${path}.(key)`, out);
  for (const item of [schema.items ?? [], schema.prefixItems ?? []].flat()) unboundedStrings(item, `${path}[]`, out);
  for (const list of [schema.anyOf, schema.oneOf, schema.allOf]) list?.forEach((s, i) => unboundedStrings(s, `${path}|${i}`, out));
  for (const [name, def] of Object.entries(schema.$defs ?? {})) unboundedStrings(def, `#${name}`, out);
}

describe('the input limits of the contract', () => {
  it('bounds every string of every command input, record keys included (the app store keeps many; none may be unbounded)', () => {
    const found: string[] = [];
    for (const [name, spec] of Object.entries(commands)) {
      unboundedStrings(z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema, name, found);
    }
    expect(found).toEqual([]);
  });
});
