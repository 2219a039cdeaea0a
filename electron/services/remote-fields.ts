import { isIP } from 'node:net';

/**
 * Checks for fields that come from other machines (agents, discovery members): they
 * are untrusted input, shown in the UI and CLI only once they pass.
 */

/** A WireGuard public key: 32 bytes in base64. */
export const isPublicKey = (text: string): boolean => /^[A-Za-z0-9+/]{43}=$/.test(text);

/** "ip:port" or "[ipv6]:port" with a real address and port. */
export function isEndpoint(text: string): boolean {
  const match = /^(?:\[([0-9a-fA-F:.]{2,45})\]|([0-9.]{7,15})):(\d{1,5})$/.exec(text);
  return match !== null && isIP(match[1] ?? match[2] ?? '') !== 0 && Number(match[3]) <= 65535;
}

/** One printable ASCII line of at most `max` characters (others become '?'). */
export const printable = (text: string, max: number): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, max);
