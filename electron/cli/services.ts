import { createServices, type Services } from '../services/index.js';
import { resolveDataDir } from '../services/paths.js';

/** Opens the services on the data dir the flags select, runs `work`, and closes them (an embedded discovery started for the run writes its snapshot first). */
export async function withServices<T>(values: Record<string, unknown>, work: (services: Services) => Promise<T> | T): Promise<T> {
  const services = createServices({ mode: 'web', dataDir: resolveDataDir(values['data-dir'] as string | undefined) });
  try {
    return await work(services);
  } finally {
    await services.discovery.close();
    services.close();
  }
}

/** Prints a value as JSON (for --json) or as lines of text. */
export function print(values: Record<string, unknown>, data: unknown, text: () => string): void {
  process.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}
