import { createSocket } from 'node:dgram';
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

/** NTP sync state from timedatectl, and the skew against the Date header of HTTPS discovery services. */
export async function checkClock(runner: CommandRunner, discoveryUrls: readonly string[]): Promise<ClockState> {
  const sync = await runner.run({ argv: ['timedatectl', 'show', '--property=NTPSynchronized', '--value'] });
  const state: ClockState = { synchronized: sync.code === 0 ? sync.stdout.trim() === 'yes' : undefined };
  for (const url of discoveryUrls.filter((u) => u.startsWith('https://'))) {
    try {
      const sent = Date.now();
      const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
      const date = response.headers.get('date');
      if (!date) continue;
      const received = Date.now();
      return { ...state, skewMs: (sent + received) / 2 - Date.parse(date) - 500, reference: url };
    } catch {
      // Try the next one; discovery health reports unreachable services.
    }
  }
  return state;
}
