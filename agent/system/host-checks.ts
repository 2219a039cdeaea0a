import { createSocket } from 'node:dgram';
import { request } from 'node:https';
import { isIP } from 'node:net';
import type { ClockState, PortState } from '../controllers/host-health.js';
import type { CommandRunner } from './command.js';

function tryBind(type: 'udp4' | 'udp6', port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket({ type, ipv6Only: type === 'udp6' });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.close();
      resolve(e.code !== 'EADDRINUSE');
    });
    socket.bind(port, () => {
      socket.close();
      resolve(true);
    });
  });
}

/** UDP 51820: ours when the kubespan link listens on it, else taken when a bind fails with EADDRINUSE. */
export async function checkMeshPort(runner: CommandRunner, port = 51820): Promise<PortState> {
  const listen = await runner.run({ argv: ['wg', 'show', 'kubespan', 'listen-port'] });
  if (listen.code === 0 && listen.stdout.trim() === String(port)) return { state: 'ours' };
  if ((await tryBind('udp4', port)) && (await tryBind('udp6', port))) return { state: 'free' };
  const ss = await runner.run({ argv: ['ss', '-H', '-u', '-a', '-n', '-p', 'sport', '=', `:${port}`] });
  const owner = /users:\(\("([^"]+)"/.exec(ss.stdout)?.[1];
  const other = await runner.run({ argv: ['wg', 'show', 'interfaces'] });
  return { state: 'taken', owner: owner ?? (other.stdout.trim() ? `a WireGuard link (${other.stdout.trim()})` : undefined) };
}

/** The Date header of a HEAD request (node:https, not fetch: fetch needs WebAssembly, which `--jitless` turns off). */
function dateHeader(url: string, timeoutMs: number, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    // No SNI for an IP address (RFC 6066; Node warns when one is given).
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const req = request(url, { method: 'HEAD', timeout: timeoutMs, signal, ...(isIP(host) ? { servername: '' } : {}) }, (res) => {
      res.resume();
      resolve(res.headers.date);
    });
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', reject);
    req.end();
  });
}

/** NTP sync state from timedatectl, and the skew against the Date header of HTTPS discovery services; `signal` ends the requests (the agent stopping). */
export async function checkClock(runner: CommandRunner, discoveryUrls: readonly string[], signal?: AbortSignal): Promise<ClockState> {
  const sync = await runner.run({ argv: ['timedatectl', 'show', '--property=NTPSynchronized', '--value'] });
  const state: ClockState = { synchronized: sync.code === 0 ? sync.stdout.trim() === 'yes' : undefined };
  for (const url of discoveryUrls.filter((u) => u.startsWith('https://'))) {
    try {
      const sent = Date.now();
      const date = await dateHeader(url, 5000, signal);
      if (!date) continue;
      const received = Date.now();
      return { ...state, skewMs: (sent + received) / 2 - Date.parse(date) - 500, reference: url };
    } catch {
      // Try the next one; discovery health reports unreachable services.
    }
  }
  return state;
}
