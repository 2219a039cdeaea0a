import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** A file of the built renderer, or null when the path is outside it or missing. */
export async function readRendererFile(rendererDir: string, urlPath: string): Promise<{ body: Buffer; type: string } | null> {
  const relative = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath).replace(/^\/+/, '');
  const path = normalize(join(rendererDir, relative));
  if (!path.startsWith(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep)) return null;
  try {
    return { body: await readFile(path), type: contentTypes[extname(path)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
