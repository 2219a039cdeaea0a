import { parseEndpoint } from '../../agent/shared/ip.js';

/**
 * Checks for fields that come from other machines (agents, discovery members): they
 * are untrusted input, shown in the UI and CLI only once they pass. Keys are checked
 * with `isWireGuardKey`.
 */

/** "ip:port" or "[ipv6]:port" with a real address and port. */
export const isEndpoint = (text: string): boolean => parseEndpoint(text) !== undefined;

/** One printable ASCII line of at most `max` characters (others become '?'). */
export const printable = (text: string, max: number): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, max);
