/** Structured fields of a log line; never put keys or the cluster secret here. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** A leveled logger; the agent's goes to stderr (journald), tests use a silent or recording one. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function formatFields(fields?: LogFields): string {
  if (!fields) return '';
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : String(v)}`)
    .join('');
}

/** How a log line is written: `level message key=value...`, or one JSON object (time, level, msg, fields). */
export type LogFormat = 'text' | 'json';

function formatLine(format: LogFormat, level: string, message: string, fields?: LogFields): string {
  if (format === 'json') return JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
  return `${level} ${message}${formatFields(fields)}`;
}

/** Writes lines to stderr (journald) in `format`; debug only when `verbose`. */
export function stderrLogger(verbose = false, format: LogFormat = 'text'): Logger {
  const write = (level: string, message: string, fields?: LogFields) => process.stderr.write(`${formatLine(format, level, message, fields)}\n`);
  return {
    debug: (m, f) => (verbose ? write('debug', m, f) : undefined),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
