import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../agent/cli/entry.ts', import.meta.url));

/** Bundles the agent into one ESM file that runs with plain `node` 18+ on a bare host. */
export async function buildAgentBundle(outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node18',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __spanwiseRequire } from 'node:module'; const require = __spanwiseRequire(import.meta.url);" },
  });
}
