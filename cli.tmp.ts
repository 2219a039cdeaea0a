import { credentials } from '@grpc/grpc-js';
import { ClusterClient } from './proto/gen/sidero/discovery/server/cluster.js';
const c = new ClusterClient(process.argv[2]!, credentials.createInsecure());
const one = (i: number) => new Promise<void>((res, rej) => c.affiliateUpdate({ clusterId: 'c', affiliateId: `a${i % 1000}`, affiliateData: Buffer.alloc(250, i), affiliateEndpoints: [], ttl: { seconds: 60, nanos: 0 } }, (e) => (e ? rej(e) : res())));
for (let i = 0; i < 500; i++) await one(i);
let t = performance.now();
for (let i = 0; i < 2000; i++) await one(i);
console.log('sequential per call ms', (performance.now() - t) / 2000);
for (const conc of [1, 4, 16, 64, 256]) {
  t = performance.now(); let n = 0; const u0 = process.cpuUsage();
  await Promise.all(Array.from({ length: conc }, async () => { while (n < 20000) { n++; await one(n); } }));
  const u = process.cpuUsage(u0); const el = performance.now() - t;
  console.log('conc', conc, 'per s', (20000 / (el / 1000)).toFixed(0), 'client cpu', ((u.user + u.system) / 1000 / el * 100).toFixed(0) + '%');
}
c.close();
