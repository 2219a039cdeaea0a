import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { VERSION } from '../../agent/lib/version.js';
import type { AppInfo, AppMode } from '../contract/index.js';

/** Reports the backend's version, mode, data dir and the agent bundle it would push. */
export class AppInfoService {
  constructor(
    private readonly mode: AppMode,
    private readonly dataDir: string,
    private readonly agentBundlePath: string,
  ) {}

  async info(): Promise<AppInfo> {
    return { version: VERSION, mode: this.mode, dataDir: this.dataDir, agentBundle: await this.bundle() };
  }

  private async bundle(): Promise<AppInfo['agentBundle']> {
    try {
      const bytes = await readFile(this.agentBundlePath);
      return { path: this.agentBundlePath, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    } catch {
      return null;
    }
  }
}
