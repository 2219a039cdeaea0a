import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../../', import.meta.url).pathname });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layering rules', () => {
  it('keeps agent/ away from electron/ and renderer/', async () => {
    expect(await importErrors('agent/cli/x.ts', "import { createServices } from '../../electron/services/index.js';\nvoid createServices;\n")).not.toHaveLength(0);
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

  it('lets only electron/main and electron/preload import electron', async () => {
    expect(await importErrors('electron/services/x.ts', "import { app } from 'electron';\nvoid app;\n")).not.toHaveLength(0);
    expect(await importErrors('electron/main/x.ts', "import { app } from 'electron';\nvoid app;\n")).toHaveLength(0);
  });
});
