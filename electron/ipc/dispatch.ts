import { toEnvelope, type ErrorEnvelope } from '../../agent/shared/errors.js';
import { describeIssues } from '../../agent/shared/validation.js';
import { errorEnvelopeSchema, invokeChannels, requestSchemas, type InvokeChannel, type InvokeResult } from '../contract/index.js';
import type { Handlers } from '../handlers/index.js';

/** The envelope of what a handler threw, as the contract's schema allows it (details that do not fit are left out). */
function envelopeOf(error: unknown): ErrorEnvelope {
  const envelope = toEnvelope(error);
  if (errorEnvelopeSchema.safeParse(envelope).success) return envelope;
  const { code, message, hint } = envelope;
  return hint === undefined ? { code, message } : { code, message, hint };
}

function isChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && (invokeChannels as string[]).includes(channel);
}

/**
 * Carries one invoke across the boundary: checks the channel, validates the
 * request against the contract's schema, runs the handler, and turns any
 * failure into an error envelope, details included. Used by Electron IPC and the WebSocket alike.
 */
export async function dispatch(handlers: Handlers, channel: unknown, request: unknown): Promise<InvokeResult<unknown>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: `no such channel: ${String(channel).slice(0, 64)}`, hint: 'use a channel from the contract' },
    };
  }
  const parsed = requestSchemas[channel].safeParse(request ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'INVALID_REQUEST', message: `${channel}: ${describeIssues(parsed.error)}`, hint: 'correct the named fields and try again' },
    };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: envelopeOf(error) };
  }
}
