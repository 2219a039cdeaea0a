import { spawn } from 'node:child_process';
import { SpanwiseError } from '../shared/errors.js';

/**
 * One command as an argument vector (never through a shell). Arguments are safe to log: secrets
 * travel only in `stdin` or in 0600 files named by path.
 */
export interface CommandSpec {
  argv: readonly string[];
  /** Fed to the process; may hold secrets, never logged. */
  stdin?: string;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs commands; the real one spawns processes, the dry-run one records them. */
export interface CommandRunner {
  run(command: CommandSpec): Promise<CommandResult>;
}

/** Spawns each command directly (no shell), with a timeout. */
export class ExecRunner implements CommandRunner {
  constructor(private readonly timeoutMs = 15_000) {}

  run(command: CommandSpec): Promise<CommandResult> {
    const [file, ...args] = command.argv;
    if (!file) return Promise.reject(new Error('empty command'));
    return new Promise((resolve) => {
      const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: this.timeoutMs, env: { ...process.env, LC_ALL: 'C' } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code === 'ENOENT' ? 127 : 1, stdout: '', stderr: e.message }));
      child.on('close', (code, signal) =>
        resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
      );
      child.stdin.on('error', () => {});
      child.stdin.end(command.stdin ?? '');
    });
  }
}

/** Runs a command and throws COMMAND_FAILED (naming the command and its stderr) unless it exits 0. */
export async function runChecked(runner: CommandRunner, command: CommandSpec): Promise<string> {
  const result = await runner.run(command);
  if (result.code !== 0) {
    const hint = result.code === 127 ? `install ${command.argv[0]} (e.g. the iproute2, wireguard-tools or nftables package)` : undefined;
    throw new SpanwiseError('COMMAND_FAILED', `${command.argv.join(' ')}: exit ${result.code}: ${result.stderr.trim().split('\n')[0] ?? ''}`, hint);
  }
  return result.stdout;
}
