#!/usr/bin/env node
// Runs the node agent from a checkout (TypeScript through tsx). Hosts run the
// single-file bundle (dist/agent/spanwise-agent.mjs) with plain node instead.
const { register } = await import('tsx/esm/api');
register();
await import('../agent/cli/entry.ts');
