import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, toEnvelope } from './errors.js';

/** One subcommand of a CLI: its usage text and what it does with its arguments. */
export interface Command {
  /** Words that select the command, e.g. ['discovery', 'serve']. */
  path: string[];
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Whether positional arguments are accepted. */
  positionals?: boolean;
  run(values: Record<string, string | boolean | (string | boolean)[] | undefined>, positionals: string[]): Promise<number | void>;
}

/** Everything a CLI needs to print help and dispatch. */
export interface CliSpec {
  name: string;
  version: string;
  description: string;
  commands: Command[];
}

function helpText(spec: CliSpec): string {
  const width = Math.max(...spec.commands.map((c) => c.path.join(' ').length));
  const lines = spec.commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `${spec.name} ${spec.version}: ${spec.description}\n\nUsage: ${spec.name} <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun '${spec.name} <command> --help' for a command's options.\n`;
}

function findCommand(spec: CliSpec, argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of spec.commands) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (!best || command.path.length > best.command.path.length)) {
      best = { command, rest: argv.slice(command.path.length) };
    }
  }
  return best;
}

/**
 * Runs a CLI: --help and --version at the top, then the chosen command.
 * Bad usage prints a message naming the problem and exits 2; other failures
 * print the error envelope and exit 1.
 */
export async function runCli(spec: CliSpec, argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    out(helpText(spec));
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
    out(`${spec.version}\n`);
    return 0;
  }
  const found = findCommand(spec, argv);
  if (!found) {
    err(`${spec.name}: unknown command '${argv.join(' ')}'. Run '${spec.name} --help' for the list of commands.\n`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`Usage: ${spec.name} ${command.path.join(' ')} ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: command.positionals ?? false, strict: true });
    const code = await command.run(parsed.values, parsed.positionals);
    return code ?? 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      const hint = error instanceof UsageError && error.hint ? `  hint: ${error.hint}\n` : '';
      err(`${spec.name} ${command.path.join(' ')}: ${error.message}\n${hint}Usage: ${spec.name} ${command.path.join(' ')} ${command.usage}\n`);
      return 2;
    }
    const envelope = toEnvelope(error);
    err(`${spec.name}: ${envelope.message}${envelope.hint ? `\n  hint: ${envelope.hint}` : ''}\n`);
    return 1;
  }
}

/** Reads a required string option or throws a usage error naming it. */
export function requireString(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
