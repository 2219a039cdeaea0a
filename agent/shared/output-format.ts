import { stringify as toYaml } from 'yaml';
import { UsageError } from './errors.js';
import type { OptionHelp } from './cli.js';
import { alignColumns } from './table.js';

/** The formats of the one output flag both CLIs take: `-o table|wide|json|yaml` (`--json` is `-o json`). */
export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The options every command that prints data declares. */
export const outputOptions = {
  output: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
} as const;

/** Help of the output options, for a command's `optionHelp`. */
export const outputOptionHelp: Record<keyof typeof outputOptions, OptionHelp> = {
  output: { description: 'output format: table, wide (more columns), json or yaml', default: 'table', value: 'FORMAT', choices: OUTPUT_FORMATS },
  json: { description: 'the same as -o json' },
};

/** The format the flags ask for; a bad `-o` is a usage error naming the flag and the choices. */
export function outputFormat(values: Record<string, unknown>, fallback: OutputFormat = 'table'): OutputFormat {
  const asked = values.output;
  if (asked === undefined) return values.json ? 'json' : fallback;
  if (typeof asked !== 'string' || !(OUTPUT_FORMATS as readonly string[]).includes(asked)) {
    throw new UsageError(`-o/--output: '${String(asked)}' is not one of ${OUTPUT_FORMATS.join(', ')}`, 'for example -o json');
  }
  if (values.json && asked !== 'json') throw new UsageError(`--json and -o ${asked} disagree`, 'give one of them');
  return asked as OutputFormat;
}

/** Whether raw argv asks for JSON output, for entry points that print an error before the flags are parsed. */
export function argvWantsJson(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i];
    if (token === '--') return false;
    if (token === '--json' || token === '-ojson' || token === '--output=json' || token === '-o=json') return true;
    if ((token === '-o' || token === '--output') && argv[i + 1] === 'json') return true;
  }
  return false;
}

/** How a command shows its data as text: the table, and optionally a wide table with more columns. */
export interface TextViews {
  table: () => string;
  wide?: () => string;
}

/** Renders data in the chosen format: JSON and YAML of the data itself, or the command's text views. */
export function renderOutput(format: OutputFormat, data: unknown, views: TextViews): string {
  const text =
    format === 'json'
      ? JSON.stringify(data, null, 2)
      : format === 'yaml'
        ? toYaml(data).trimEnd()
        : format === 'wide'
          ? (views.wide ?? views.table)()
          : views.table();
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** A table with upper-case headers, as every table of both CLIs prints. */
export function tableText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${alignColumns([header.map((h) => h.toUpperCase()), ...rows]).join('\n')}\n`;
}
