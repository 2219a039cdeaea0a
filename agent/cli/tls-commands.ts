import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { requireString, type Command } from '../shared/cli.js';
import { UsageError } from '../shared/errors.js';

/** `spanwise-agent tls csr`: makes the API key on this host (once) and prints a CSR for the desktop to sign. */
export const tlsCommands: Command[] = [
  {
    path: ['tls', 'csr'],
    summary: 'create the agent API key on this host if missing (0600) and print a certificate request for it',
    usage: '--key FILE --name NODE [--dns NAME]... [--ip IP]...',
    options: { key: { type: 'string' }, name: { type: 'string' }, dns: { type: 'string', multiple: true }, ip: { type: 'string', multiple: true } },
    async run(values) {
      const keyPath = requireString(values, 'key');
      const name = requireString(values, 'name');
      const ips = (values.ip as string[] | undefined) ?? [];
      for (const ip of ips) if (!isIP(ip)) throw new UsageError(`--ip '${ip}' is not an IP address`);
      const altNames = { dns: [name, ...((values.dns as string[] | undefined) ?? [])], ip: ips };
      const { createCsrForKey, createKeyAndCsr } = await import('../shared/pki.js');
      if (existsSync(keyPath)) {
        process.stdout.write(await createCsrForKey(readFileSync(keyPath, 'utf8'), name, altNames));
        return;
      }
      const { keyPem, csrPem } = await createKeyAndCsr(name, altNames);
      mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
      writeFileSync(keyPath, keyPem, { mode: 0o600, flag: 'wx' });
      chmodSync(keyPath, 0o600);
      process.stdout.write(csrPem);
    },
  },
];
