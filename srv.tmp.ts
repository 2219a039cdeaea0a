import { silentLogger, startDiscoveryServer } from './agent/discovery/server/index.js';
const s = await startDiscoveryServer({ listen: '127.0.0.1:0', rateLimit: false, logger: silentLogger });
console.log(s.address);
setInterval(() => { const u = process.cpuUsage(); console.error('cpu', ((u.user + u.system) / 1e6).toFixed(2)); }, 2000).unref();
setTimeout(() => process.exit(0), 30000);
