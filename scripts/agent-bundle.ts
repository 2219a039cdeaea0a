import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
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

/**
 * grpc-js requires @grpc/proto-loader (and through it protobufjs) only to serve channelz and ORCA,
 * which the agent never registers; the agent's services come from proto/gen. Leaving them out
 * keeps about 130 KB of code the daemon would parse and hold on every start.
 */
const noProtoLoader: Plugin = {
  name: 'no-proto-loader',
  setup(build) {
    build.onResolve({ filter: /^@grpc\/proto-loader$/ }, () => ({ path: 'proto-loader', namespace: 'no-proto-loader' }));
    build.onLoad({ filter: /.*/, namespace: 'no-proto-loader' }, () => ({
      contents: "throw new Error('@grpc/proto-loader is not part of the agent bundle (channelz and ORCA are not served)');",
      loader: 'js',
    }));
  },
};

/**
 * Node's built-in modules are taken with `require`, not `import`: an ESM import of a built-in
 * builds its module namespace by reading every export, which runs the lazy getters behind them
 * (`crypto.webcrypto`, `fs.promises`, ...) and loads modules the agent never uses; and bundled
 * imports are all hoisted, so every command would load every built-in any command needs. As a
 * `require` in the module that uses it, a built-in loads when that module first runs.
 */
const builtinsByRequire: Plugin = {
  name: 'builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'import-statement' ? { path: args.path, namespace: 'builtin-by-require' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'builtin-by-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * grpc-js moves its reconnect backoff deadlines with the local-time setters of Date
 * (`d.setMilliseconds(d.getMilliseconds() + delay)`), and local time has V8 load the host's time zone
 * through ICU, about 0.5 MB more of the Node binary resident in the daemon. The same deadline is
 * moved in UTC milliseconds (which is also right across a DST change).
 */
const grpcBackoffInUtc: Plugin = {
  name: 'grpc-backoff-in-utc',
  setup(build) {
    build.onLoad({ filter: /[\\/]@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/]backoff-timeout\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      let moved = 0;
      const contents = source.replace(/([\w.]+)\.setMilliseconds\(\1\.getMilliseconds\(\) \+ /g, (_, date: string) => {
        moved += 1;
        return `${date}.setTime(${date}.getTime() + `;
      });
      if (moved !== 2)
        throw new Error(`grpc-backoff-in-utc: expected 2 local-time deadline moves in ${args.path}, found ${moved}; update the plugin for this grpc-js`);
      return { contents, loader: 'js' };
    });
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
    plugins: [zodEnglishOnly, noProtoLoader, builtinsByRequire, grpcBackoffInUtc],
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __spanwiseRequire } from 'node:module'; const require = __spanwiseRequire(import.meta.url);",
    },
  });
}
