import { isIP } from 'node:net';
import { UsageError } from '../../agent/lib/errors.js';
import { isLoopbackAddress } from '../web/server.js';

/** The option every `spanwise` command takes to select its state. */
export const dataDirOption = { 'data-dir': { type: 'string' } } as const;

/** Parses a TCP port flag (0..65535; 0 = any free port). */
export function parsePort(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--${flag} must be a port number from 0 to 65535, got '${String(value)}'`);
  return port;
}

/** Parses an IP address flag to listen on. */
export function parseListenHost(value: unknown, flag: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !isIP(value)) throw new UsageError(`--${flag} must be an IP address such as 127.0.0.1, got '${String(value)}'`);
  if (!isLoopbackAddress(value)) {
    throw new UsageError(`--${flag} ${value} would serve the UI and its token over plain HTTP to the network; use a loopback address (127.0.0.1 or ::1) and reach it from elsewhere with ssh -L`);
  }
  return value;
}
