import { UsageError } from '../../agent/shared/errors.js';
import { relayPairKey, type RelaySetting } from '../contract/settings.js';

const pairOf = (text: string, flag: string): [string, string] => {
  const names = text.split(',').map((n) => n.trim());
  if (names.length !== 2 || names.some((n) => !n)) throw new UsageError(`--${flag} takes a pair as A,B (two machine names), got '${text}'`);
  return names as [string, string];
};

/** `--relay A,B=R`: the pair A-B relayed through R. */
export function parseRelayFlag(text: string): RelaySetting {
  const [pair, via, ...rest] = text.split('=');
  if (pair === undefined || !via?.trim() || rest.length) throw new UsageError(`--relay takes A,B=R (relay the pair A-B through R), got '${text}'`);
  return { between: pairOf(pair, 'relay'), via: via.trim() };
}

/**
 * The relays after the flags: `--no-relay A,B` removes the pair's relay, `--relay A,B=R` adds it or
 * replaces the pair's relay. Undefined when neither flag is given (the saved relays stay).
 */
export function relaysAfter(values: Record<string, unknown>, current: readonly RelaySetting[]): RelaySetting[] | undefined {
  const add = ((values.relay as string[] | undefined) ?? []).map(parseRelayFlag);
  const remove = ((values['no-relay'] as string[] | undefined) ?? []).map((t) => relayPairKey(pairOf(t, 'no-relay')));
  if (!add.length && !remove.length) return undefined;
  const gone = new Set([...remove, ...add.map((r) => relayPairKey(r.between))]);
  return [...current.filter((r) => !gone.has(relayPairKey(r.between))), ...add];
}

/** The relays with `relay` added, replacing any relay of the same pair. */
export const withRelay = (current: readonly RelaySetting[], relay: RelaySetting): RelaySetting[] => [
  ...current.filter((r) => relayPairKey(r.between) !== relayPairKey(relay.between)),
  { between: relay.between, via: relay.via },
];

/** The relays in words, one per pair: "edge1,edge2 via cloud1". */
export const relayText = (relays: readonly RelaySetting[] = []): string =>
  relays.length ? relays.map((r) => `${r.between.join(',')} via ${r.via}`).join('; ') : '(none)';
