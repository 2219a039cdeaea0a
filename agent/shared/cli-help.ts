import type { CliSpec, Command, OptionHelp } from './cli.js';
import { findCommand, wordIndexes } from './cli-words.js';

/** The list of commands (all, or a group's). */
export function helpText(spec: CliSpec): string {
  const width = Math.max(...spec.commands.map((c) => c.path.join(' ').length));
  const lines = spec.commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `${spec.name} ${spec.version}: ${spec.description}\n\nUsage: ${spec.name} <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun '${spec.name} <command> --help' for a command's options.\n`;
}

function flagLabel(long: string, option: Command['options'][string], help: OptionHelp | undefined): string {
  const short = option.short ? `-${option.short}, ` : '    ';
  const value = option.type === 'string' ? ` ${help?.value ?? 'VALUE'}` : '';
  return `${short}--${long}${value}`;
}

function flagSentence(option: Command['options'][string], help: OptionHelp | undefined): string {
  const text = help?.description ?? '';
  const repeat = option.multiple ? ' (repeatable)' : '';
  const fallback = help?.default === undefined ? '' : ` (default ${help.default})`;
  return `${text}${repeat}${fallback}`;
}

/** One command's help: usage, summary, every flag with its sentence and default, and examples. */
export function commandHelp(spec: CliSpec, command: Command): string {
  const name = `${spec.name} ${command.path.join(' ')}`;
  const flags = Object.entries(command.options).map(
    ([long, option]) => [flagLabel(long, option, command.optionHelp?.[long]), flagSentence(option, command.optionHelp?.[long])] as const,
  );
  const width = Math.max(0, ...flags.map(([label]) => label.length));
  const sections = [`Usage: ${name} ${command.usage}`, command.summary];
  if (flags.length) sections.push(`Flags:\n${flags.map(([label, sentence]) => `  ${label.padEnd(width)}  ${sentence}`.trimEnd()).join('\n')}`);
  if (command.examples?.length) sections.push(`Examples:\n${command.examples.map((e) => `  ${e}`).join('\n')}`);
  return `${sections.join('\n\n')}\n`;
}

/** The commands of the group `words` name (`node` names `node add`, `node list`, ...); empty when they name none. */
export function groupOf(spec: CliSpec, words: readonly string[]): Command[] {
  return words.length === 0 ? [] : spec.commands.filter((c) => c.path.length > words.length && words.every((w, i) => c.path[i] === w));
}

/**
 * Help for what the words name: a command, the commands of a group (`node --help`), or everything
 * when there are no words; undefined when the words name neither a command nor a group.
 */
export function helpFor(spec: CliSpec, argv: string[]): string | undefined {
  const words = wordIndexes(spec, argv)
    .map((i) => argv[i] as string)
    .filter((w) => w !== 'help');
  const found = findCommand(spec, words);
  if (found) return commandHelp(spec, found.command);
  if (words.length === 0) return helpText(spec);
  const group = groupOf(spec, words);
  return group.length > 0 ? helpText({ ...spec, commands: group }) : undefined;
}
