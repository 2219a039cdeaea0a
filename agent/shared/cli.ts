import { parseArgs, type ParseArgsConfig } from 'node:util';
import { completionCommand } from './cli-completion.js';
import { groupOf, helpFor, helpText } from './cli-help.js';
import { findCommand, suggestCommands, wordIndexes } from './cli-words.js';
import { SpanwiseError, UsageError, toEnvelope, type ErrorEnvelope } from './errors.js';
import { argvWantsJson } from './output-format.js';

/** Help of one option: a sentence, its default, the name of its value, and the values it takes (for completion). */
export interface OptionHelp {
  description: string;
  /** The default, as text (`4`, `table`, `~/.config/spanwise`). */
  default?: string;
  /** The name of the option's value in help: `--concurrency N`. */
  value?: string;
  /** The values the option takes, offered by shell completion. */
  choices?: readonly string[];
}

/** One subcommand of a CLI: its usage text and what it does with its arguments. */
export interface Command {
  /** Words that select the command, e.g. ['discovery', 'serve']. */
  path: string[];
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Whether positional arguments are accepted. */
  positionals?: boolean;
  /** Help of each option, by long name; help lists every option, with its sentence and default where given. */
  optionHelp?: Record<string, OptionHelp>;
  /** Values of the positional arguments offered by shell completion (e.g. shell names). */
  positionalChoices?: readonly string[];
  /** Example command lines, shown in help. */
  examples?: string[];
  run(values: Record<string, string | boolean | (string | boolean)[] | undefined>, positionals: string[]): Promise<number | void>;
}

/** Everything a CLI needs to print help and dispatch. */
export interface CliSpec {
  name: string;
  version: string;
  description: string;
  commands: Command[];
}

/** Errors that are the caller's to fix (bad usage, or input the contract or a service refused as invalid): exit 2 with the usage line. */
function isUsage(error: unknown): boolean {
  if (error instanceof UsageError) return true;
  if (error instanceof SpanwiseError && error.code.startsWith('INVALID_')) return true;
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

function usageEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof SpanwiseError) return error.toEnvelope();
  return { code: 'USAGE', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs a CLI. The command is named by its words wherever the options are
 * (`--data-dir D cluster list` and `cluster list --data-dir D` are the same);
 * `--help` anywhere (or `help ...`) prints help for what the words name, and
 * `--version` at the top; `completion bash|zsh|fish` prints a completion script.
 * Bad usage exits 2 and other failures 1. A failure prints `NAME: CODE: message`
 * and the hint on stderr, or under `-o json` the envelope `{"error":{code,message,hint}}`
 * on stderr (stdout stays empty, so a script that reads stdout sees no data).
 */
export async function runCli(cli: CliSpec, argv: string[]): Promise<number> {
  const spec: CliSpec = { ...cli, commands: [...cli.commands, completionCommand(cli)] };
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  const json = argvWantsJson(argv);
  const fail = (envelope: ErrorEnvelope, text: string, code: number) => {
    err(json ? `${JSON.stringify({ error: envelope })}\n` : text);
    return code;
  };
  if (argv.length === 0) {
    out(helpText(spec));
    return 2;
  }
  const dashDash = argv.indexOf('--');
  const own = dashDash === -1 ? argv : argv.slice(0, dashDash);
  const help = own.includes('--help') || own.includes('-h') || argv[0] === 'help' ? helpFor(spec, own) : undefined;
  if (help !== undefined) {
    out(help);
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
    out(`${spec.version}\n`);
    return 0;
  }
  const found = findCommand(spec, argv);
  const words = wordIndexes(spec, argv).map((i) => argv[i] as string);
  const group = found ? [] : groupOf(spec, words);
  if (group.length > 0) {
    const list = helpText({ ...spec, commands: group });
    if (!json) {
      out(list);
      return 2;
    }
    const message = `'${words.join(' ')}' needs a command: ${group.map((c) => c.path.join(' ')).join(', ')}`;
    return fail({ code: 'USAGE', message, hint: `run '${spec.name} ${words.join(' ')} --help'` }, list, 2);
  }
  if (!found) {
    const message = `unknown command '${words.join(' ') || argv.join(' ')}'`;
    const guesses = suggestCommands(spec, argv);
    const hint = guesses.length
      ? `did you mean ${guesses.map((g) => `'${spec.name} ${g}'`).join(' or ')}?`
      : `run '${spec.name} --help' for the list of commands`;
    return fail({ code: 'USAGE', message, hint }, `${spec.name}: ${message}. ${hint.charAt(0).toUpperCase()}${hint.slice(1)}${guesses.length ? '' : '.'}\n`, 2);
  }
  const { command, rest } = found;
  const name = `${spec.name} ${command.path.join(' ')}`;
  try {
    const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: command.positionals ?? false, strict: true });
    const code = await command.run(parsed.values, parsed.positionals);
    return code ?? 0;
  } catch (error) {
    if (isUsage(error)) {
      const envelope = usageEnvelope(error);
      const hint = envelope.hint ? `  hint: ${envelope.hint}\n` : '';
      return fail(envelope, `${name}: ${envelope.message}\n${hint}Usage: ${name} ${command.usage}\n`, 2);
    }
    const envelope = toEnvelope(error);
    return fail(envelope, `${spec.name}: ${envelope.code}: ${envelope.message}${envelope.hint ? `\n  hint: ${envelope.hint}` : ''}\n`, 1);
  }
}

/** Reads a required string option or throws a usage error naming it. */
export function requireString(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
