// Typed errors of the server's endpoint logic. Each carries the HTTP status it means, so the HTTP
// layer maps them without looking at message text.

export class ServerError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (msg: string): ServerError => new ServerError(400, msg);
export const notFound = (msg: string): ServerError => new ServerError(404, msg);
export const conflict = (msg: string): ServerError => new ServerError(409, msg);
export const forbidden = (msg: string): ServerError => new ServerError(403, msg);
