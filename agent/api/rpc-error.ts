import type { status } from '@grpc/grpc-js';

/** An error that reaches the caller as this gRPC status code and message. */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}
