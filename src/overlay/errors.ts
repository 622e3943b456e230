/** Typed errors. Every error the SDK throws at a user is one of these, with a stable `code`. */

export class OverlayError extends Error {
  readonly code: string
  constructor (code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = 'OverlayError'
  }
}

/** Bytes that are not a valid message. Decoders throw only this (or its subclass UnknownTypeError). */
export class DecodeError extends OverlayError {
  /** `code` is for subclasses; a plain DecodeError is always 'ERR_DECODE'. */
  constructor (message: string, options?: { cause?: unknown }, code = 'ERR_DECODE') { super(code, message, options); this.name = 'DecodeError' }
}

/**
 * A well-framed message whose type (type byte, enum value, tag name) this node does not know — most
 * likely from a newer peer, not garbage. Still a DecodeError (decoders throw only DecodeErrors), so
 * callers that only care "could not decode" need no change; drivers count it apart ('unknown-type').
 */
export class UnknownTypeError extends DecodeError {
  /** The type as it was on the wire: a number (type byte, protobuf enum value) or a name (e.g. a bencoded `q`). */
  readonly messageType: number | string
  constructor (messageType: number | string, message = `unknown message type ${String(messageType)}`) {
    super(message, undefined, 'ERR_UNKNOWN_TYPE')
    this.messageType = messageType
    this.name = 'UnknownTypeError'
  }
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
