#!/usr/bin/env node
// Runs the desktop backend's CLI from a checkout (TypeScript through tsx).
const { register } = await import('tsx/esm/api');
register();
await import('../electron/cli/entry.ts');
