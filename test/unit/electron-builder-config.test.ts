import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const require = createRequire(import.meta.url);

it('validates electron-builder.yml against electron-builder schema without building', () => {
  const schema = require('app-builder-lib/scheme.json') as object;
  const config = parse(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Record<string, unknown>;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const valid = validate(config);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  expect(config.linux).toMatchObject({ target: ['AppImage', 'deb', 'rpm'] });
  expect(JSON.stringify(config.extraResources)).toContain('spanwise-agent.mjs');
  for (const platform of ['linux', 'mac', 'win']) {
    const icon = (config[platform] as { icon: string }).icon;
    expect(existsSync(new URL(icon, root))).toBe(true);
  }
});
