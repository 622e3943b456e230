/** Option parsers shared by CLI commands (commander `argParser`s). */
import { InvalidArgumentError } from 'commander'

/** A seed: an integer stays a number, anything else is kept as a string (the Rng hashes it). */
export function parseSeed (value: string): number | string {
  if (value.trim() === '') throw new InvalidArgumentError('seed must not be empty')
  return /^-?\d+$/.test(value) ? Number(value) : value
}

/** A positive integer (counts: nodes, queries, ...). */
export function parsePositiveInt (value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`)
  return n
}

/** A non-negative number (rates, fractions, milliseconds). */
export function parseNonNegative (value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`)
  return n
}

/** A comma-separated list: "a,b , c" → ['a','b','c']. */
export function parseList (value: string): string[] {
  return value.split(',').map(s => s.trim()).filter(s => s.length > 0)
}
