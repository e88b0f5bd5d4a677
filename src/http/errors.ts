// Typed HTTP errors. Every error an endpoint can return is one of these classes, so the status code
// comes from the type, never from matching message text. Nomad answers errors with a plain-text
// body; Roam does the same (clients and scripts parse it that way).

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
}

export class PermissionDeniedError extends HttpError {
  constructor(message = 'Permission denied') {
    super(403, message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message);
  }
}

export class MethodNotAllowedError extends HttpError {
  constructor() {
    super(405, 'Invalid method');
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(limit: number) {
    super(413, `Request body too large: the limit is ${limit} bytes`);
  }
}

export class UnavailableError extends HttpError {
  constructor(message: string) {
    super(503, message);
  }
}
