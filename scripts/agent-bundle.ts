import { build, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../agent/cli/entry.ts', import.meta.url));

/**
 * zod re-exports all of its ~40 error-message locales through one index, which no bundler can
 * drop; the agent speaks English only, so the index is replaced by one exporting `en`. This keeps
 * a fifth of the bundle (parse time and memory on every start) off the hosts.
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir) ? { path: args.resolveDir, namespace: 'zod-english-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: args.path,
      loader: 'js',
    }));
  },
};

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
    plugins: [zodEnglishOnly],
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __spanwiseRequire } from 'node:module'; const require = __spanwiseRequire(import.meta.url);",
    },
  });
}
