// Builds what the app runs and ships: the renderer, the Electron main and
// preload, and the single-file agent bundle pushed to hosts.
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRenderer } from '../electron/web/renderer-build.js';
import { buildAgentBundle } from './agent-bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = (path: string) => join(root, 'dist', path);

await Promise.all([
  buildRenderer(join(root, 'renderer'), out('renderer')),
  buildAgentBundle(out('agent/spanwise-agent.mjs')),
  build({
    entryPoints: [join(root, 'electron/main/main.ts')],
    outfile: out('electron/main.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  }),
  build({
    entryPoints: [join(root, 'electron/preload/preload.ts')],
    outfile: out('electron/preload.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  }),
]);
console.log('built dist/renderer, dist/electron, dist/agent/spanwise-agent.mjs');
