import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/spanwise.mjs', import.meta.url));

/** Runs the `spanwise` CLI with a data dir; resolves with its exit code and output. */
export function spanwise(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 240_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--data-dir', dataDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`spanwise ${args.join(' ')} did not finish in ${timeoutMs / 1000} s\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Whether `script` (util-linux) is here to run the CLI under a pseudo-terminal. */
export const canRunInTerminal = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs the `spanwise` CLI with a data dir under a pseudo-terminal (`script -qec`), so stdout is a TTY; resolves with what the terminal showed. */
export function spanwiseInTerminal(dataDir: string, args: string[], timeoutMs = 120_000): Promise<{ code: number; output: string }> {
  const command = [process.execPath, bin, ...args, '--data-dir', dataDir].map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, COLUMNS: '120' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`spanwise ${args.join(' ')} did not finish in ${timeoutMs / 1000} s under a terminal\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}
