import type { CliSpec, Command } from './cli.js';

const isFlag = (token: string) => token.startsWith('-') && token !== '-';

/** Whether an option (by long or short name) takes a value in any command, so the token after it is that value. */
export function takesValue(spec: CliSpec, token: string): boolean {
  if (token.includes('=')) return false;
  const name = token.replace(/^--?/, '');
  return spec.commands.some((c) => Object.entries(c.options).some(([long, o]) => o.type === 'string' && (long === name || o.short === name)));
}

/** The indexes of argv's words (not options or option values), so flags may come before, between or after them. */
export function wordIndexes(spec: CliSpec, argv: string[]): number[] {
  const words: number[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] as string;
    if (token === '--') break;
    if (!isFlag(token)) words.push(i);
    else if (takesValue(spec, token)) i += 1;
  }
  return words;
}

/** The command argv's words name (the longest path that matches), and argv without those words. */
export function findCommand(spec: CliSpec, argv: string[]): { command: Command; rest: string[] } | undefined {
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

/** Edit distance of two words (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length] ?? 0;
}

/** The commands argv's words were probably meant to name, as kubectl suggests: each word at most 2 edits off. */
export function suggestCommands(spec: CliSpec, argv: string[]): string[] {
  const words = wordIndexes(spec, argv).map((i) => argv[i] as string);
  return spec.commands
    .filter((c) => c.path.length <= words.length && c.path.every((word, i) => distance(word, words[i] ?? '') <= Math.min(2, Math.floor(word.length / 2))))
    .map((c) => c.path.join(' '))
    .slice(0, 3);
}
