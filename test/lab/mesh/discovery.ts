import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { DESKTOP_ADDRESS } from '../constants.js';
import { sleep } from '../run.js';

/** A discovery service run from the agent bundle in the root namespace, on the desktop address. */
export interface LabDiscovery {
  /** The URL agents put in `discovery.endpoints`. */
  url: string;
  /** What the service printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `spanwise-agent discovery serve` on 198.18.0.2 (every lab host reaches it there) and waits
 * until it accepts connections.
 */
export async function startLabDiscovery(bundlePath: string, port = 3000): Promise<LabDiscovery> {
  const listen = `${DESKTOP_ADDRESS}:${port}`;
  const child = spawn(process.execPath, [bundlePath, 'discovery', 'serve', '--listen', listen], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
  };
  for (let i = 0; i < 100; i += 1) {
    if (child.exitCode !== null) break;
    if (await canConnect(DESKTOP_ADDRESS, port)) return { url: `http://${listen}`, output: () => output, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`discovery service did not listen on ${listen}: ${output.trim()}`);
}
