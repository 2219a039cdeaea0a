import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
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

/** A source edit to a grpc-js file: `pattern` must match `count` times, so an upgrade that changes the code fails the build. */
interface GrpcEdit {
  file: string;
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
  count: number;
}

/**
 * Keeps V8 away from local time, which has it load the host's time zone and its names through ICU: about
 * 1 MB more of the Node binary resident in the daemon. grpc-js moves its reconnect backoff deadlines with
 * the local-time setters of Date (the same deadline is moved in UTC milliseconds, which is also right across
 * a DST change), and its server answers every call with an HTTP/2 `date` header, which Node formats from
 * local time (gRPC does not use it; `sendDate: false` leaves it out).
 */
const GRPC_WITHOUT_LOCAL_TIME: readonly GrpcEdit[] = [
  {
    file: 'backoff-timeout.js',
    pattern: /([\w.]+)\.setMilliseconds\(\1\.getMilliseconds\(\) \+ /g,
    replace: (_, date) => `${date}.setTime(${date}.getTime() + `,
    count: 2,
  },
  { file: 'server-interceptors.js', pattern: /waitForTrailers: true,/g, replace: () => 'waitForTrailers: true, sendDate: false,', count: 1 },
  { file: 'server-interceptors.js', pattern: /\{ endStream: true \}/g, replace: () => '{ endStream: true, sendDate: false }', count: 1 },
  { file: 'server.js', pattern: /\{ endStream: true \}/g, replace: () => '{ endStream: true, sendDate: false }', count: 2 },
];

const grpcWithoutLocalTime: Plugin = {
  name: 'grpc-without-local-time',
  setup(build) {
    build.onLoad({ filter: /[\\/]@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/](backoff-timeout|server-interceptors|server)\.js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      for (const edit of GRPC_WITHOUT_LOCAL_TIME.filter((e) => e.file === basename(args.path))) {
        let found = 0;
        contents = contents.replace(edit.pattern, (...m: string[]) => {
          found += 1;
          return edit.replace(...(m as [string, ...string[]]));
        });
        if (found !== edit.count)
          throw new Error(
            `grpc-without-local-time: expected ${edit.count} of ${edit.pattern} in ${args.path}, found ${found}; update the edit for this grpc-js`,
          );
      }
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
    plugins: [zodEnglishOnly, noProtoLoader, builtinsByRequire, grpcWithoutLocalTime],
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __spanwiseRequire } from 'node:module'; const require = __spanwiseRequire(import.meta.url);",
    },
  });
}
