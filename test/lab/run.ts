import { spawn } from 'node:child_process';

/** What a finished command left behind. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to stdin, then stdin is closed. Never logged. */
  input?: string;
  /** Kill the command after this long (default 30 s). */
  timeoutMs?: number;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A failed lab command: names the command and shows its stderr (never its input). */
export class LabCommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly result: RunResult,
  ) {
    super(`lab: \`${argv.join(' ')}\` exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`.slice(0, 2000));
  }
}

/** Runs a command (no shell) and collects its output. */
export function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('run: empty command');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd ?? '/' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code: code ?? (signal ? 128 + 9 : 1), stdout, stderr };
      if (result.code !== 0 && !options.allowFailure) reject(new LabCommandError(argv, result));
      else resolve(result);
    });
    child.stdin.on('error', () => {
      /* the command may exit before reading stdin */
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs each command of a batch through `ip -batch` in one process. */
export async function ipBatch(lines: string[], namespace?: string): Promise<void> {
  if (lines.length === 0) return;
  const argv = namespace ? ['ip', '-n', namespace, '-batch', '-'] : ['ip', '-batch', '-'];
  await run(argv, { input: `${lines.join('\n')}\n` });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
