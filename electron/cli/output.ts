import { renderOutput, type OutputFormat, type TextViews } from '../../agent/shared/output-format.js';

/** Prints data in the chosen format: JSON or YAML of the data, or the command's table (and wide table). */
export function print(format: OutputFormat, data: unknown, views: TextViews | (() => string)): void {
  process.stdout.write(renderOutput(format, data, typeof views === 'function' ? { table: views } : views));
}

/** Exit code of a command whose work ran but found the cluster unhealthy (`diagnose` errors, `status` down). */
export const EXIT_UNHEALTHY = 3;
