import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const require = createRequire(import.meta.url);
const config = parse(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Record<string, unknown>;

it('validates electron-builder.yml against electron-builder schema without building', () => {
  const schema = require('app-builder-lib/scheme.json') as object;
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

it('has the metadata deb and rpm require, and keeps their default dependencies', () => {
  expect(pkg.homepage).toMatch(/^https:\/\//);
  expect(pkg.author).toMatchObject({ name: expect.any(String), email: expect.stringContaining('@') });
  // `depends` replaces electron-builder's defaults instead of adding to them: the deb's already hold libsecret-1-0
  // (safeStorage) and xdg-utils (links); the rpm's lack libsecret, so rpm lists them all plus it.
  expect((config.deb as { depends?: unknown } | undefined)?.depends, 'deb.depends').toBeUndefined();
  expect((config.rpm as { depends: string[] }).depends).toEqual(expect.arrayContaining(['gtk3', 'nss', 'xdg-utils', 'libsecret']));
});

it('ships only what runs, under names without spaces, with nothing rebuilt', () => {
  expect(config.artifactName).toMatch(/^[^\s]+$/);
  expect(config.asar).toBe(true);
  expect(config.npmRebuild).toBe(false);
  expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'package.json', '!**/*.map']));
  expect(config.publish, 'auto-update stays off until a user sets publish').toBeFalsy();
});
