import { execFile, spawn, type ChildProcess } from 'node:child_process';

/** The agent CLI from the checkout, run as its own process. */
export const AGENT_BIN = new URL('../../bin/spanwise-agent.mjs', import.meta.url).pathname;

/** How one run of the agent CLI ended. */
export interface AgentRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `spanwise-agent ARGS` to its end; a non-zero exit is a result, not a throw. */
export function runAgent(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<AgentRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [AGENT_BIN, ...args], { env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A long-running `spanwise-agent ARGS` (e.g. `get -w`) whose output is collected as it comes. */
export class AgentStream {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [AGENT_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Waits until stdout matches, failing with what arrived when it does not within 15 s. */
  async until(pattern: RegExp): Promise<void> {
    for (let i = 0; i < 300; i += 1) {
      if (pattern.test(this.stdout)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`stdout never matched ${pattern}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
  }
}
