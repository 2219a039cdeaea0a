// Builds what the app runs and ships: the renderer, the Electron main and
// preload, and the single-file agent bundle pushed to hosts.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAgentBundle } from './agent-bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = (path: string) => join(root, 'dist', path);

mkdirSync(out('renderer'), { recursive: true });
for (const file of ['index.html', 'styles.css']) copyFileSync(join(root, 'renderer', file), out(`renderer/${file}`));

await Promise.all([
  build({
    entryPoints: [join(root, 'renderer/main.tsx')],
    outfile: out('renderer/app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  }),
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
