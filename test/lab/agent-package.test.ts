import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveNodeAddressing } from '../../agent/lib/ula.js';
import { pinnedRuntimes } from '../../electron/services/onboarding/runtime-manifest.js';
import { buildAgentPackages } from '../../scripts/package-agent.js';
import { labExec } from './index.js';
import { paths } from './paths.js';
import { useLab } from './use-lab.js';

/**
 * The x64 .deb installed with dpkg -i on a lab host (its /usr under a private overlay, so the
 * machine's own /usr stays as it is): the `spanwise-agent` command on PATH runs the packaged
 * runtime; dpkg -r leaves none of its files (dpkg keeps only its record for a purge), and dpkg -P
 * leaves neither files nor record.
 */
useLab('all-open');
const host = 'cloud1';
const version = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

/** Runs `script` in the host inside its own mount namespace with /usr overlaid on the host's /tmp. */
const inHost = (script: string) =>
  labExec(
    host,
    `mkdir -p /tmp/usr.upper /tmp/usr.work && unshare -m sh -ec 'mount -n -t overlay overlay -o lowerdir=/usr,upperdir=/tmp/usr.upper,workdir=/tmp/usr.work /usr
${script.replace(/'/g, `'\\''`)}'`,
    { timeoutMs: 300_000 },
  );

/** Where the package's files go; `listing` adds dpkg's record of packages. */
const files = 'find /opt /usr/bin /usr/lib/systemd -xdev 2>/dev/null | sort';
const listing = 'find /opt /usr/bin /usr/lib/systemd /var/lib/dpkg/info -xdev 2>/dev/null | sort';

beforeAll(async () => {
  const [built] = await buildAgentPackages(['x64'], mkdtempSync(join(tmpdir(), 'spanwise-deb-lab-')), { fast: true });
  copyFileSync(built!.deb, join(paths.host(host), 'tmp', 'spanwise-agent.deb'));
}, 1_200_000);

describe('the agent .deb on a lab host', () => {
  it('installs with dpkg -i, puts spanwise-agent on PATH, and dpkg -r then dpkg -P leave nothing behind', async () => {
    const mac = '2e:1a:b6:53:81:69';
    const result = await inHost(`before=$(${listing}); files=$(${files})
dpkg -i /tmp/spanwise-agent.deb >/dev/null
echo "status: $(dpkg-query -W -f '\${Status} \${Version} \${Architecture}' spanwise-agent)"
echo "command: $(command -v spanwise-agent)"
echo "version: $(spanwise-agent --version)"
echo "derive: $(spanwise-agent identity derive --cluster-id lab-deb --mac ${mac} -o json | tr -d ' \\n')"
echo "runtime: $(readlink -f /opt/spanwise/bin/node)"
dpkg -r spanwise-agent >/dev/null
[ "$(${files})" = "$files" ] && echo "after -r: clean" || { echo "after -r:"; ${files} | grep spanwise; }
echo "state after -r: $(dpkg-query -W -f '\${Status}' spanwise-agent 2>/dev/null || echo none)"
dpkg -i /tmp/spanwise-agent.deb >/dev/null
dpkg -P spanwise-agent >/dev/null
[ "$(${listing})" = "$before" ] && echo "after -P: clean" || { echo "after -P:"; ${listing} | grep spanwise; }
echo "state after -P: $(dpkg-query -W -f '\${Status}' spanwise-agent 2>/dev/null || echo none)"`);
    const derived = deriveNodeAddressing('lab-deb', mac);
    expect(result.stdout.trim().split('\n')).toEqual([
      `status: install ok installed ${version} amd64`,
      'command: /usr/bin/spanwise-agent',
      `version: ${version}`,
      `derive: {"subnet":"${derived.subnet}","address":"${derived.address}"}`,
      `runtime: /opt/spanwise/runtime/${pinnedRuntimes.x64.version}/node`,
      'after -r: clean',
      // dpkg keeps the postrm (it reloads systemd) until a purge, and nothing else.
      'state after -r: deinstall ok config-files',
      'after -P: clean',
      'state after -P: none',
    ]);
  });
});
