import { fstatSync } from 'node:fs';
import { UsageError } from './errors.js';

/** Structured fields of a log line; never put keys or the cluster secret here. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** A leveled logger; the agent's goes to stderr (journald), tests use a silent or recording one. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** How a log line is written: `TIME LEVEL message key=value...`, or one JSON object (time, level, msg, fields). */
export type LogFormat = 'text' | 'json';

export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

type Level = keyof Logger;

/** syslog priorities, which journald reads from a `<N>` line prefix (SyslogLevelPrefix=, on by default). */
const JOURNAL_PRIORITY: Record<Level, number> = { error: 3, warn: 4, info: 6, debug: 7 };

/** Where lines go and how they look. */
export interface LogSink {
  format: LogFormat;
  /** Prefix each line with its journald priority and leave the time to the journal (text). */
  journal: boolean;
  write(line: string): void;
  /** The clock of the timestamps; tests pass a fixed one. */
  now?: () => Date;
}

/** `--log-format`: `text` or `json`. */
export function parseLogFormat(value: unknown): LogFormat {
  if (value === undefined) return 'text';
  if (typeof value === 'string' && (LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new UsageError(`--log-format: '${String(value)}' is not a log format`, `give one of: ${LOG_FORMATS.join(', ')}`);
}

/**
 * True when stderr is the journal's stream: systemd sets JOURNAL_STREAM to the device and inode of
 * the stream it connected, which a child writing elsewhere (a pipe, a file) inherits but does not match.
 */
export function stderrIsJournal(env: NodeJS.ProcessEnv = process.env): boolean {
  const match = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!match) return false;
  try {
    const stat = fstatSync(2, { bigint: true });
    return String(stat.dev) === match[1] && String(stat.ino) === match[2];
  } catch {
    return false;
  }
}

function formatFields(fields?: LogFields): string {
  if (!fields) return '';
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : String(v)}`)
    .join('');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * What `toISOString` prints, from the UTC fields: V8's `toISOString` also looks up the local time
 * zone's display name through ICU, which keeps about 1 MB more of the Node binary resident.
 */
export function isoTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid time value');
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return `${day}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}Z`;
}

function formatLine(sink: LogSink, level: Level, message: string, fields?: LogFields): string {
  const time = isoTime((sink.now ?? (() => new Date()))());
  const prefix = sink.journal ? `<${JOURNAL_PRIORITY[level]}>` : '';
  if (sink.format === 'json') return `${prefix}${JSON.stringify({ time, level, msg: message, ...fields })}`;
  return `${prefix}${sink.journal ? '' : `${time} `}${level} ${message}${formatFields(fields)}`;
}

/** A logger writing whole lines to `sink`; debug only when `verbose`. */
export function sinkLogger(sink: LogSink, verbose = false): Logger {
  const write = (level: Level, message: string, fields?: LogFields) => sink.write(`${formatLine(sink, level, message, fields)}\n`);
  return {
    debug: (m, f) => (verbose ? write('debug', m, f) : undefined),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** Writes lines to stderr in `format`, with journald priorities when stderr is the journal; debug only when `verbose`. */
export function stderrLogger(verbose = false, format: LogFormat = 'text'): Logger {
  return sinkLogger({ format, journal: stderrIsJournal(), write: (line) => process.stderr.write(line) }, verbose);
}

/** Sends Node's own process warnings (deprecations and the like) through `log`, so they too carry a time and level. */
export function logProcessWarnings(log: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log.warn(warning.message, { warning: warning.name, code: (warning as { code?: string }).code }));
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
