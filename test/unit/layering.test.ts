import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layering rules', () => {
  it('keeps agent/ away from electron/ and renderer/', async () => {
    expect(await importErrors('agent/cli/x.ts', "import { createServices } from '../../electron/services/index.js';\nvoid createServices;\n")).not.toHaveLength(
      0,
    );
    expect(await importErrors('agent/cli/x.ts', "import { App } from '../../renderer/App.js';\nvoid App;\n")).not.toHaveLength(0);
    expect(await importErrors('agent/cli/x.ts', "import { app } from 'electron';\nvoid app;\n")).not.toHaveLength(0);
    expect(await importErrors('agent/cli/x.ts', "import { VERSION } from '../lib/version.js';\nvoid VERSION;\n")).toHaveLength(0);
  });

  it('lets renderer/ import only types from the contract', async () => {
    expect(await importErrors('renderer/x.ts', "import type { AppInfo } from '../electron/contract/index.js';\nexport type A = AppInfo;\n")).toHaveLength(0);
    expect(await importErrors('renderer/x.ts', "import { invokeChannels } from '../electron/contract/index.js';\nvoid invokeChannels;\n")).not.toHaveLength(0);
    expect(await importErrors('renderer/x.ts', "import { dispatch } from '../electron/ipc/dispatch.js';\nvoid dispatch;\n")).not.toHaveLength(0);
    expect(await importErrors('renderer/x.ts', "import { VERSION } from '../agent/lib/version.js';\nvoid VERSION;\n")).not.toHaveLength(0);
    expect(await importErrors('renderer/x.ts', "import { readFile } from 'node:fs';\nvoid readFile;\n")).not.toHaveLength(0);
  });

  it('lets renderer/ import values from the contract only out of its field schemas', async () => {
    expect(await importErrors('renderer/x.ts', "import { clusterNameSchema } from '../electron/contract/fields.js';\nvoid clusterNameSchema;\n")).toHaveLength(
      0,
    );
    expect(await importErrors('renderer/validation/x.ts', "import { cidrSchema } from '../../electron/contract/fields.js';\nvoid cidrSchema;\n")).toHaveLength(
      0,
    );
    expect(
      await importErrors('renderer/x.ts', "import { clusterRequests } from '../electron/contract/clusters.js';\nvoid clusterRequests;\n"),
    ).not.toHaveLength(0);
    expect(await importErrors('renderer/x.ts', "import { settingsRequests } from '../electron/contract';\nvoid settingsRequests;\n")).not.toHaveLength(0);
    expect(await importErrors('renderer/x.ts', "export { machineRequests } from '../electron/contract/machines.js';\n")).not.toHaveLength(0);
    expect(await importErrors('renderer/x.ts', "import { agentConfigSchema } from '../agent/config/schema.js';\nvoid agentConfigSchema;\n")).not.toHaveLength(
      0,
    );
    expect(await importErrors('renderer/x.ts', "import { isIPv6 } from 'node:net';\nvoid isIPv6;\n")).not.toHaveLength(0);
  });

  it('keeps the contract field schemas free of anything but zod, other contract files and the shared agent code they hold', () => {
    const seen = new Set<string>();
    const outside: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(join(root, file), 'utf8');
      for (const [, specifier = ''] of code.matchAll(/^(?:import|export) (?!type )[^'"]*?from '([^']+)'/gm)) {
        const target = specifier.startsWith('.') ? join(dirname(file), specifier).replace(/\.js$/, '.ts') : specifier;
        if (target.startsWith('electron/contract/') || target.startsWith('agent/shared/')) visit(target);
        else if (target !== 'zod') outside.push(`${file}: ${specifier}`);
      }
    };
    visit('electron/contract/fields.ts');
    expect([...seen]).toContain('electron/contract/machines.ts');
    expect(outside).toEqual([]);
  });

  it('lets the desktop take from agent/ only the shared code, the clients, the discovery server entry and the config schema', async () => {
    const use = (specifier: string) => `import { x } from '${specifier}';\nvoid x;\n`;
    for (const allowed of [
      '../../agent/shared/errors.js',
      '../../agent/api/client.js',
      '../../agent/api/rpc-error.js',
      '../../agent/discovery/client/index.js',
      '../../agent/discovery/server/index.js',
      '../../agent/config/schema.js',
      '../../proto/gen/spanwise/agent/v1/agent.js',
    ]) {
      expect(await importErrors('electron/services/x.ts', use(allowed)), allowed).toHaveLength(0);
    }
    for (const internal of [
      '../../agent/controllers/discovery.js',
      '../../agent/resources/store.js',
      '../../agent/lib/ula.js',
      '../../agent/api/server.js',
      '../../agent/discovery/server/store.js',
      '../../agent/wireguard/plan.js',
    ]) {
      expect(await importErrors('electron/services/x.ts', use(internal)), internal).not.toHaveLength(0);
    }
    expect(await importErrors('electron/main/x.ts', use('../../agent/resources/store.js'))).not.toHaveLength(0);
    expect(await importErrors('electron/services/x.test.ts', use('../../agent/api/server.js'))).toHaveLength(0);
  });

  it('keeps agent/shared the bottom layer of agent/', async () => {
    expect(await importErrors('agent/shared/x.ts', "import { ula } from '../lib/ula.js';\nvoid ula;\n")).not.toHaveLength(0);
    expect(await importErrors('agent/shared/x.ts', "import { x } from '../controllers/runtime.js';\nvoid x;\n")).not.toHaveLength(0);
    expect(await importErrors('agent/shared/x.ts', "import { SpanwiseError } from './errors.js';\nvoid SpanwiseError;\n")).toHaveLength(0);
    expect(
      await importErrors('agent/shared/x.ts', "import { Affiliate } from '../../proto/gen/sidero/discovery/client/affiliate.js';\nvoid Affiliate;\n"),
    ).toHaveLength(0);
  });

  it('lets only electron/main and electron/preload import electron', async () => {
    expect(await importErrors('electron/services/x.ts', "import { app } from 'electron';\nvoid app;\n")).not.toHaveLength(0);
    expect(await importErrors('electron/main/x.ts', "import { app } from 'electron';\nvoid app;\n")).toHaveLength(0);
  });
});
