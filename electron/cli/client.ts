import { SpanwiseError, type ErrorEnvelope } from '../../agent/shared/errors.js';
import { fieldPath } from '../../agent/shared/validation.js';
import { requestSchemas, type InvokeChannel, type RequestOf, type ResponseOf } from '../contract/index.js';
import { createHandlers, type Handlers } from '../handlers/index.js';
import { dispatch } from '../ipc/dispatch.js';
import { createServices, type Services } from '../services/index.js';
import { resolveDataDir } from '../services/paths.js';

/**
 * Which flag sets each contract field: dot-joined field path (array indexes left out) to
 * the flag (`settings.mtu` -> `--mtu`, `name` -> `NAME`). The longest matching prefix wins.
 */
export type FlagMap = Record<string, string>;

/** The contract as a command sees it: the same `dispatch()` the UI goes through. */
export interface Client {
  /** Sends one request; an invalid one is an `INVALID_REQUEST` naming the flags, any other failure its envelope. */
  invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>, flags?: FlagMap): Promise<ResponseOf<C>>;
  /** The services the handlers were built from: for the event bus, and what has no channel. */
  services: Services;
}

function flagFor(path: readonly PropertyKey[], flags: FlagMap): string {
  const keys = path.filter((k): k is string => typeof k === 'string');
  for (let n = keys.length; n > 0; n -= 1) {
    const flag = flags[keys.slice(0, n).join('.')];
    if (flag) return flag;
  }
  return fieldPath(path) || 'request';
}

function invalidRequest(channel: InvokeChannel, request: unknown, flags: FlagMap, values: Record<string, unknown>): SpanwiseError {
  const parsed = requestSchemas[channel].safeParse(request);
  const issues = parsed.success ? [] : parsed.error.issues;
  const described = issues.map((issue) => {
    const flag = flagFor(issue.path, flags);
    const given = flag.startsWith('--') ? values[flag.slice(2)] : undefined;
    return `${flag}: ${issue.message}${typeof given === 'string' ? `, got '${given}'` : ''}`;
  });
  const first = issues[0];
  const details = first ? { flag: flagFor(first.path, flags), field: fieldPath(first.path) } : undefined;
  return new SpanwiseError(
    'INVALID_REQUEST',
    [...new Set(described)].join('; ') || 'the request was refused',
    'correct the named flags and try again',
    details,
  );
}

/** A service's own check of the input (`INVALID_MACHINE`, `INVALID_SETTINGS`): its `field: message` parts named by flag. */
function invalidInput(error: ErrorEnvelope, flags: FlagMap): SpanwiseError {
  const parts = error.message.split('; ').map((part) => {
    const match = /^([A-Za-z][\w.[\]]*): (.*)$/.exec(part);
    return match
      ? `${flagFor(
          (match[1] as string).split(/[.[\]]/).filter((k) => k !== '' && !/^\d+$/.test(k)),
          flags,
        )}: ${match[2]}`
      : part;
  });
  return new SpanwiseError(error.code, parts.join('; '), error.hint, error.details);
}

function client(handlers: Handlers, services: Services, values: Record<string, unknown>): Client {
  return {
    services,
    async invoke(channel, request, flags = {}) {
      const result = await dispatch(handlers, channel, request);
      if (result.ok) return result.value as ResponseOf<typeof channel>;
      if (result.error.code === 'INVALID_REQUEST') throw invalidRequest(channel, request, flags, values);
      if (result.error.code.startsWith('INVALID_')) throw invalidInput(result.error, flags);
      throw new SpanwiseError(result.error.code, result.error.message, result.error.hint, result.error.details);
    },
  };
}

/** Opens the services on the data dir the flags select, builds the handlers as the app does, runs `work`, and closes them. */
export async function withClient<T>(values: Record<string, unknown>, work: (client: Client) => Promise<T>): Promise<T> {
  const services = createServices({ mode: 'web', dataDir: resolveDataDir(values['data-dir'] as string | undefined) });
  try {
    return await work(client(createHandlers(services), services, values));
  } finally {
    await services.close();
  }
}
