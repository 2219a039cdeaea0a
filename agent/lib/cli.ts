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

const isFlag = (token: string) => token.startsWith('-') && token !== '-';

/** Whether an option (by long or short name) takes a value in any command, so the token after it is that value. */
function takesValue(spec: CliSpec, token: string): boolean {
  if (token.includes('=')) return false;
  const name = token.replace(/^--?/, '');
  return spec.commands.some((c) => Object.entries(c.options).some(([long, o]) => o.type === 'string' && (long === name || o.short === name)));
}

/** The indexes of argv's words (not options or option values), so flags may come before, between or after them. */
function wordIndexes(spec: CliSpec, argv: string[]): number[] {
  const words: number[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] as string;
    if (token === '--') break;
    if (!isFlag(token)) words.push(i);
    else if (takesValue(spec, token)) i += 1;
  }
  return words;
}

function findCommand(spec: CliSpec, argv: string[]): { command: Command; rest: string[] } | undefined {
  const indexes = wordIndexes(spec, argv);
  const words = indexes.map((i) => argv[i] as string);
  let best: Command | undefined;
  for (const command of spec.commands) {
    const matches = command.path.every((word, i) => words[i] === word);
    if (matches && (!best || command.path.length > best.path.length)) best = command;
  }
  if (!best) return undefined;
  const consumed = new Set(indexes.slice(0, best.path.length));
  return { command: best, rest: argv.filter((_, i) => !consumed.has(i)) };
}

const commandHelp = (spec: CliSpec, command: Command) => `Usage: ${spec.name} ${command.path.join(' ')} ${command.usage}\n\n${command.summary}\n`;

/** Help for what the words name: a command, the commands of a group (`node --help`), or everything. */
function helpFor(spec: CliSpec, argv: string[]): string {
  const words = wordIndexes(spec, argv).map((i) => argv[i] as string).filter((w) => w !== 'help');
  const found = findCommand(spec, words);
  if (found) return commandHelp(spec, found.command);
  const group = spec.commands.filter((c) => words.length > 0 && words.every((w, i) => c.path[i] === w));
  return group.length > 0 ? helpText({ ...spec, commands: group }) : helpText(spec);
}

/**
 * Runs a CLI. The command is named by its words wherever the options are
 * (`--data-dir D cluster list` and `cluster list --data-dir D` are the same);
 * `--help` anywhere (or `help ...`) prints help for what the words name, and
 * `--version` at the top. Bad usage prints a message naming the problem and
 * exits 2; other failures print the error envelope and exit 1.
 */
export async function runCli(spec: CliSpec, argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  if (argv.length === 0) {
    out(helpText(spec));
    return 2;
  }
  const dashDash = argv.indexOf('--');
  const own = dashDash === -1 ? argv : argv.slice(0, dashDash);
  if (own.includes('--help') || own.includes('-h') || argv[0] === 'help') {
    out(helpFor(spec, own));
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
    out(`${spec.version}\n`);
    return 0;
  }
  const found = findCommand(spec, argv);
  if (!found) {
    const words = wordIndexes(spec, argv).map((i) => argv[i]).join(' ');
    err(`${spec.name}: unknown command '${words || argv.join(' ')}'. Run '${spec.name} --help' for the list of commands.\n`);
    return 2;
  }
  const { command, rest } = found;
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
