/**
 * The environment the agent daemon runs with, wherever it is started (the systemd unit, the OpenRC
 * script, `supervise` and its boot hook): no JIT and a small young heap, and a glibc malloc that
 * hands freed memory back, so a long-running agent stays small (bench/agent-memory.bench.ts).
 * The agent uses no WebAssembly (`--jitless` turns it off). musl ignores GLIBC_TUNABLES.
 */
export const AGENT_LAUNCH_ENV = {
  NODE_OPTIONS: '--jitless --max-semi-space-size=1',
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=32768:glibc.malloc.trim_threshold=32768',
} as const;
