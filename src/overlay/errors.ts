/** Typed errors. Every error the SDK throws at a user is one of these, with a stable `code`. */

export class OverlayError extends Error {
  readonly code: string
  constructor (code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = 'OverlayError'
  }
}

/** Bytes that are not a valid message. Decoders throw only this. */
export class DecodeError extends OverlayError {
  constructor (message: string, options?: { cause?: unknown }) { super('ERR_DECODE', message, options); this.name = 'DecodeError' }
}

/** A hard limit was exceeded (frame size, list length, value size, queue length). */
export class LimitError extends OverlayError {
  constructor (message: string) { super('ERR_LIMIT', message); this.name = 'LimitError' }
}

export class TimeoutError extends OverlayError {
  constructor (message = 'operation timed out') { super('ERR_TIMEOUT', message); this.name = 'TimeoutError' }
}

/** The caller's AbortSignal fired. `name` is 'AbortError' as with fetch(). */
export class AbortError extends OverlayError {
  constructor (message = 'operation aborted') { super('ERR_ABORTED', message); this.name = 'AbortError' }
}

export class NotFoundError extends OverlayError {
  constructor (message = 'not found') { super('ERR_NOT_FOUND', message); this.name = 'NotFoundError' }
}

export class UnreachableError extends OverlayError {
  constructor (message = 'peer unreachable') { super('ERR_UNREACHABLE', message); this.name = 'UnreachableError' }
}

export class NotStartedError extends OverlayError {
  constructor (message = 'overlay is not started') { super('ERR_NOT_STARTED', message); this.name = 'NotStartedError' }
}

/** A peer broke the protocol (lying about its id, unsolicited data, bad hash). */
export class ProtocolError extends OverlayError {
  constructor (message: string) { super('ERR_PROTOCOL', message); this.name = 'ProtocolError' }
}

export class InvalidArgumentError extends OverlayError {
  constructor (message: string) { super('ERR_INVALID_ARGUMENT', message); this.name = 'InvalidArgumentError' }
}
