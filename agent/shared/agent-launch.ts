/**
 * The environment the agent daemon runs with, wherever it is started (the systemd unit, the OpenRC
 * script, `supervise` and its boot hook): no JIT and a small young heap, and a glibc malloc that
 * hands freed memory back, so a long-running agent stays small (bench/agent-memory.bench.ts).
 * `--no-node-snapshot` starts Node from its built-in sources instead of its start-up snapshot: the
 * snapshot's pages of the binary stay unread, about 5 MB less resident for the daemon (Node 20+).
 * The agent uses no WebAssembly (`--jitless` turns it off). musl ignores GLIBC_TUNABLES.
 */
export const AGENT_LAUNCH_ENV = {
  NODE_OPTIONS: '--jitless --max-semi-space-size=1 --no-node-snapshot',
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=32768:glibc.malloc.trim_threshold=32768',
} as const;

/**
 * V8 flags that NODE_OPTIONS does not take, set by `run` as it starts (they steer later work, so
 * setting them then is enough): `--optimize-for-size` has the garbage collector keep the heap small
 * and hand freed pages back while the daemon idles; `--bytecode-old-age=1` lets a collection drop
 * the bytecode of functions that did not run since the one before (start-up and config checks; a
 * function that runs again is compiled again from the bundle's source).
 */
export const AGENT_V8_FLAGS: readonly string[] = ['--optimize-for-size', '--bytecode-old-age=1'];
