import type { Command } from '../../agent/lib/cli.js';
import { createHandlers } from '../handlers/index.js';
import { createServices } from '../services/index.js';
import { rendererDir, resolveDataDir } from '../services/paths.js';
import { startWebServer } from '../web/server.js';
import { dataDirOption, parseListenHost, parsePort } from './options.js';

/** `spanwise web`: the desktop UI served on localhost behind a per-run token. */
export const webCommand: Command = {
  path: ['web'],
  summary: 'serve the desktop UI on localhost (for headless hosts, or where Electron is missing)',
  usage: '[--host 127.0.0.1|::1] [--port N] [--data-dir DIR]',
  options: { ...dataDirOption, host: { type: 'string' }, port: { type: 'string' } },
  async run(values) {
    const host = parseListenHost(values.host, 'host', '127.0.0.1');
    const port = parsePort(values.port, 'port', 0);
    const services = createServices({ mode: 'web', dataDir: resolveDataDir(values['data-dir'] as string | undefined), discovery: 'follow' });
    const server = await startWebServer({ handlers: createHandlers(services), events: services.events, rendererDir, host, port });
    process.stdout.write(`Spanwise web UI: ${server.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await services.discovery.close();
    services.close();
  },
};
