import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Command } from '../../agent/shared/cli.js';
import { UsageError } from '../../agent/shared/errors.js';
import { createHandlers } from '../handlers/index.js';
import { createServices } from '../services/index.js';
import { projectRoot, rendererDir, resolveDataDir } from '../services/paths.js';
import { ensureRenderer } from '../web/renderer-build.js';
import { isLoopbackAddress, startWebServer } from '../web/server.js';
import { dataDirHelp, dataDirOption } from './options.js';

/** Parses a TCP port flag (0..65535; 0 = any free port). */
function parsePort(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--${flag} must be a port number from 0 to 65535, got '${String(value)}'`);
  return port;
}

/** Parses the loopback IP address to listen on. */
function parseListenHost(value: unknown, flag: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !isIP(value)) throw new UsageError(`--${flag} must be an IP address such as 127.0.0.1, got '${String(value)}'`);
  if (!isLoopbackAddress(value)) {
    throw new UsageError(
      `--${flag} ${value} would serve the UI and its token over plain HTTP to the network; use a loopback address (127.0.0.1 or ::1) and reach it from elsewhere with ssh -L`,
    );
  }
  return value;
}

/** `spanwise web`: the desktop UI served on localhost behind a per-run token (built first if it is not). */
export const webCommand: Command = {
  path: ['web'],
  summary: 'serve the desktop UI on localhost (for headless hosts, or where Electron is missing); builds the UI on first run',
  usage: '[--host 127.0.0.1|::1] [--port N] [--data-dir DIR]',
  options: { ...dataDirOption, host: { type: 'string' }, port: { type: 'string' } },
  optionHelp: {
    ...dataDirHelp,
    host: {
      description: 'the loopback address to listen on (reach it from elsewhere with ssh -L)',
      default: '127.0.0.1',
      value: 'ADDRESS',
      choices: ['127.0.0.1', '::1'],
    },
    port: { description: 'the TCP port to listen on; 0 picks a free one', default: '0', value: 'N' },
  },
  examples: ['spanwise web', 'spanwise web --port 8080   # then: ssh -L 8080:127.0.0.1:8080 HOST'],
  async run(values) {
    const host = parseListenHost(values.host, 'host', '127.0.0.1');
    const port = parsePort(values.port, 'port', 0);
    await ensureRenderer(join(projectRoot, 'renderer'), rendererDir, (line) => process.stderr.write(`${line}\n`));
    const services = createServices({
      mode: 'web',
      dataDir: resolveDataDir(values['data-dir'] as string | undefined),
      discovery: 'follow',
      diagnosisSchedule: true,
    });
    const server = await startWebServer({ handlers: createHandlers(services), events: services.events, rendererDir, host, port });
    process.stdout.write(`Spanwise web UI: ${server.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await services.close();
  },
};
