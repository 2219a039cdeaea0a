// `npm install` (postinstall): downloads Electron's binary where the network
// allows it. A failed download never fails the install: the CLI, the tests and
// the web UI need no binary, and `npm start` tries the download again (or
// serves the web UI, saying why).
import { fetchElectron, installedElectron } from './electron-binary.mjs';

if (installedElectron()) {
  console.log("Electron's binary is installed.");
} else {
  const missing = fetchElectron();
  if (missing) {
    console.log(`Electron's binary was not installed: ${missing}.`);
    console.log('The CLI, the tests and the web UI work without it; `npm start` tries the download again, and serves the web UI while it is missing.');
  } else console.log(`Electron's binary is installed (${installedElectron()}).`);
}
