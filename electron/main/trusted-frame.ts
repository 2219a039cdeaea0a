import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A check that a frame's URL is this app's own page: the renderer's
 * index.html as a file URL, query and fragment aside. Anything else (another
 * file, a sibling folder such as `renderer-x/`, any web origin) is untrusted.
 */
export function rendererFrameCheck(rendererDir: string): (url: string | undefined) => boolean {
  const page = pathToFileURL(join(rendererDir, 'index.html')).href;
  return (url) => {
    if (!url || !URL.canParse(url)) return false;
    const parsed = new URL(url);
    parsed.search = '';
    parsed.hash = '';
    return parsed.href === page;
  };
}
