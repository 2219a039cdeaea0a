import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, isIP, type Socket } from 'node:net';
import { PROBE_PREFIX, PROBE_TCP_PORTS } from '../shared/probe-traffic.js';

/** The UDP probe protocol between Spanwise agents: request "SPANWISE-PROBE <nonce>", reply "... <nonce> <seen source ip:port>". */
export { PROBE_PREFIX };

/** The outcome of one probe. */
export interface ProbeOutcome {
  reachable: boolean;
  rttMs: number;
  error: string;
  observedSource: string;
}

const formatSource = (address: string, port: number) => (isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`);

const probePorts = PROBE_TCP_PORTS.last - PROBE_TCP_PORTS.first + 1;

/**
 * A TCP connect to host:port within the timeout, from one of the probe ports
 * (so it takes the underlay, not the mesh). A connection that opens is reset
 * rather than closed, so no TIME_WAIT holds the port.
 */
export async function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const start = performance.now();
  const first = Math.floor(Math.random() * probePorts);
  let outcome: ProbeOutcome = { reachable: false, rttMs: 0, error: 'no free probe port', observedSource: '' };
  for (let i = 0; i < 8; i += 1) {
    const localPort = PROBE_TCP_PORTS.first + ((first + i * 7) % probePorts);
    outcome = await connectOnce(host, port, localPort, timeoutMs - (performance.now() - start));
    // Not root (tests, a dry run): the probe ports are privileged; any port will do.
    if (outcome.error === 'EACCES') outcome = await connectOnce(host, port, 0, timeoutMs - (performance.now() - start));
    if (outcome.error !== 'EADDRINUSE') break;
  }
  return { ...outcome, rttMs: Math.round(performance.now() - start) };
}

function connectOnce(host: string, port: number, localPort: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host, port, ...(localPort ? { localPort } : {}) });
    let finished = false;
    const done = (error: string) => {
      if (finished) return;
      finished = true;
      if (error === '') socket.resetAndDestroy();
      else socket.destroy();
      resolve({ reachable: error === '', rttMs: 0, error, observedSource: '' });
    };
    socket.setTimeout(Math.max(1, timeoutMs), () => done('timeout'));
    socket.once('connect', () => done(''));
    socket.on('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'connection refused' : (e.code ?? e.message)));
  });
}

/** A UDP datagram to a Spanwise responder at host:port, optionally from `sourcePort`. */
export function probeUdp(host: string, port: number, timeoutMs: number, sourcePort = 0): Promise<ProbeOutcome> {
  const start = performance.now();
  const nonce = randomBytes(8).toString('hex');
  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    let finished = false;
    const done = (outcome: Omit<ProbeOutcome, 'rttMs'>) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      resolve({ ...outcome, rttMs: Math.round(performance.now() - start) });
    };
    const timer = setTimeout(() => done({ reachable: false, error: 'timeout', observedSource: '' }), timeoutMs);
    socket.on('error', (e: NodeJS.ErrnoException) =>
      done({ reachable: false, error: e.code === 'EADDRINUSE' ? `source port ${sourcePort} in use` : (e.code ?? e.message), observedSource: '' }),
    );
    socket.on('message', (msg) => {
      const [prefix, got, seen] = msg.toString('utf8').split(' ');
      if (prefix === PROBE_PREFIX && got === nonce) done({ reachable: true, error: '', observedSource: seen ?? '' });
    });
    socket.bind(sourcePort, () => socket.send(`${PROBE_PREFIX} ${nonce}`, port, host));
  });
}

/** Answers probes on a port for `durationMs`; resolves once listening (or with the error). */
export function openResponder(protocol: 'tcp' | 'udp', port: number, durationMs: number): Promise<{ opened: boolean; error: string }> {
  return new Promise((resolve) => {
    if (protocol === 'tcp') {
      const server = createServer((s) => {
        s.on('error', () => undefined);
        s.end();
      });
      server.on('error', (e: NodeJS.ErrnoException) => resolve({ opened: false, error: e.code ?? e.message }));
      server.listen(port, () => {
        setTimeout(() => server.close(), durationMs).unref();
        resolve({ opened: true, error: '' });
      });
      return;
    }
    const socket: UdpSocket = createSocket({ type: 'udp6', ipv6Only: false });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve({ opened: false, error: e.code ?? e.message }));
    socket.on('message', (msg, rinfo) => {
      const [prefix, nonce] = msg.toString('utf8').split(' ');
      if (prefix !== PROBE_PREFIX || !nonce || !/^[0-9a-f]{1,32}$/.test(nonce)) return;
      const source = formatSource(rinfo.address.replace(/^::ffff:/, ''), rinfo.port);
      socket.send(`${PROBE_PREFIX} ${nonce} ${source}`, rinfo.port, rinfo.address, () => undefined);
    });
    socket.bind(port, () => {
      setTimeout(() => socket.close(), durationMs).unref();
      resolve({ opened: true, error: '' });
    });
  });
}
