import { ErrorRequestHandler } from 'express';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
} from '@backstage/errors';
import type { PodWatchErrorResponse } from '@pod-watch/plugin-pod-watch-common';

/** A 400 that names the request parameter at fault. */
export class ParameterError extends InputError {
  constructor(readonly field: string, message: string) {
    super(`Invalid parameter '${field}': ${message}`);
  }
}

const STATUS: ReadonlyArray<[new (...args: any[]) => Error, number]> = [
  [InputError, 400],
  [AuthenticationError, 401],
  [NotAllowedError, 403],
  [NotFoundError, 404],
  [NotImplementedError, 501],
];

function statusOf(error: unknown): number {
  for (const [type, status] of STATUS) {
    if (error instanceof type) return status;
  }
  // body-parser and friends set `status` on client errors
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500
    ? status
    : 500;
}

/** The parameter at fault; express's own 400s name the path (undecodable) or the body. */
function fieldOf(error: unknown): string | undefined {
  if (error instanceof ParameterError) return error.field;
  if (error instanceof URIError) return 'path';
  if ((error as { type?: unknown })?.type === 'entity.parse.failed') {
    return 'body';
  }
  return undefined;
}

function nameOf(error: unknown, statusCode: number, known: boolean): string {
  if (statusCode === 400) return 'InputError';
  return known && isError(error) ? error.name : 'Error';
}

/**
 * Consistent JSON errors in Backstage's `ErrorResponseBody` shape. Server errors are logged and
 * answered with a generic message: driver errors can carry SQL or connection details.
 */
export function errorHandler(logger: LoggerService): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const statusCode = statusOf(error);
    const known = statusCode < 500 || statusCode === 501;
    if (!known) {
      logger.error(
        `${req.method} ${req.baseUrl}${req.path} failed`,
        isError(error) ? error : new Error(String(error)),
      );
    }
    const field = fieldOf(error);
    const body: PodWatchErrorResponse = {
      error: {
        name: nameOf(error, statusCode, known),
        message:
          known && isError(error) ? error.message : 'Internal server error',
        ...(field ? { field } : {}),
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode },
    };
    res.status(statusCode).json(body);
  };
}
