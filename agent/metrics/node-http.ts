import type * as Http from 'node:http';
import { createRequire } from 'node:module';

/**
 * `node:http`, loaded with require. An ESM import of node:http reads every export of the module,
 * and its WebSocket, MessageEvent and CloseEvent getters load Node's bundled fetch/WebSocket
 * client: 12 MB of resident memory in an agent that uses none of it.
 */
export const nodeHttp = createRequire(import.meta.url)('node:http') as typeof Http;
