/**
 * `npm run lab -- <command>`: up [SCENARIO] [--fresh] [--json], down,
 * status [--json], exec HOST -- CMD..., ssh-config, scenarios.
 * Exit code 2 for bad arguments.
 */
import { parseArgs } from 'node:util';
import { upLab } from './builder.js';
import { cleanupLab } from './cleanup.js';
import { labSpawn } from './exec.js';
import { LabPrerequisiteError } from './prerequisites.js';
import { DEFAULT_SCENARIO, scenarios } from './scenarios/index.js';
import { type LabStatus, findHost, labStatus, renderSshConfig } from './status.js';

const USAGE = `usage: npm run lab -- <command>
  up [SCENARIO] [--fresh] [--json]   build a scenario (default ${DEFAULT_SCENARIO}); reuses it if already up unless --fresh
  down                               remove everything the lab created
  status [--json]                    hosts, addresses and SSH targets
  exec HOST -- CMD [ARGS...]         run a command as root inside a host
  ssh-config                         OpenSSH config (jump hosts for hosts behind gateways)
  scenarios                          list scenarios
scenarios: ${Object.keys(scenarios).join(', ')}`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const dashdash = argv.indexOf('--');
  const head = dashdash === -1 ? argv : argv.slice(0, dashdash);
  const tail = dashdash === -1 ? [] : argv.slice(dashdash + 1);
  let parsed;
  try {
    parsed = parseArgs({
      args: head,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, fresh: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = positionals;
  const allow = (flags: string[], maxPositionals: number): void => {
    for (const flag of ['json', 'fresh'] as const) {
      if (values[flag] && !flags.includes(flag)) throw new UsageError(`${command} does not take --${flag}`);
    }
    if (rest.length > maxPositionals) throw new UsageError(`${command}: unexpected argument "${rest[maxPositionals]}"`);
    if (command !== 'exec' && tail.length > 0) throw new UsageError(`${command} takes no command after --`);
  };
  switch (command) {
    case 'up': {
      allow(['json', 'fresh'], 1);
      const name = rest[0] ?? DEFAULT_SCENARIO;
      if (!scenarios[name]) throw new UsageError(`unknown scenario "${name}"`);
      const t0 = Date.now();
      const status = await upLab(name, { fresh: values.fresh ?? false, log: (l) => console.error(l) });
      if (values.json) console.log(JSON.stringify(status, null, 2));
      else {
        printStatus(status);
        console.log(`up in ${((Date.now() - t0) / 1000).toFixed(1)} s; try: ssh -F ${status.sshConfigFile} ${status.hosts[0]?.name ?? ''}`);
      }
      return 0;
    }
    case 'down':
      allow([], 0);
      await cleanupLab();
      console.log('lab: down');
      return 0;
    case 'status': {
      allow(['json'], 0);
      const status = await labStatus();
      if (values.json) console.log(JSON.stringify(status, null, 2));
      else printStatus(status);
      return 0;
    }
    case 'exec': {
      allow([], 1);
      const host = rest[0];
      if (!host) throw new UsageError('exec needs a HOST');
      if (tail.length === 0) throw new UsageError('exec needs a command after --, e.g. exec cloud1 -- ip -br addr');
      findHost(await labStatus(), host);
      const child = await labSpawn(host, tail, { stdio: 'inherit' });
      return new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
    }
    case 'ssh-config':
      allow([], 0);
      process.stdout.write(renderSshConfig(await labStatus()));
      return 0;
    case 'scenarios':
      allow([], 0);
      for (const s of Object.values(scenarios)) console.log(`${s.name.padEnd(14)} ${s.description}`);
      return 0;
    case undefined:
      throw new UsageError('missing command');
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function printStatus(status: LabStatus): void {
  if (status.phase === 'down') {
    console.log('lab: down');
    return;
  }
  console.log(`lab: ${status.scenario} ${status.up ? 'up' : `NOT healthy (${status.phase})`}; state in ${status.stateDir}`);
  console.log(`desktop: ${status.desktop.address} on ${status.desktop.link}`);
  for (const h of status.hosts) {
    const addr = [h.publicAddress, h.privateAddress].filter(Boolean).join(' / ');
    const via = h.ssh.jump ? ` via ${h.ssh.jump}` : '';
    console.log(`  ${h.name.padEnd(12)} ${h.site.padEnd(10)} ${addr.padEnd(27)} ${h.running ? 'running' : 'STOPPED'}  ssh root@${h.ssh.host}${via}`);
  }
  const first = status.hosts[0];
  if (first) console.log(`root key: ${first.ssh.identityFile}; sudo user: ${first.sudoUser.user} (password in ${status.stateDir}/secrets/sudo-password)`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`lab: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(err instanceof LabPrerequisiteError ? `lab: ${err.message}` : `lab: ${(err as Error).message ?? String(err)}`);
      process.exitCode = 1;
    }
  },
);
