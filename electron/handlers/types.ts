import type { z } from 'zod';
import type { InvokeChannel, ResponseOf, requestSchemas } from '../contract/index.js';

/** The backend side of one invoke channel: a validated request in, a response out. */
export type Handler<C extends InvokeChannel> = (request: z.output<(typeof requestSchemas)[C]>) => Promise<ResponseOf<C>>;

/** One handler for every channel of the contract; the type makes a missing one a compile error. */
export type Handlers = { [C in InvokeChannel]: Handler<C> };
