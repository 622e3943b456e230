/** Option parsers shared by CLI commands (commander `argParser`s). */
import { InvalidArgumentError } from 'commander'
import type { LatencyModel } from '../sim/network.js'

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

/**
 * A simulator latency model (src/sim/network.ts) from the command line:
 * `constant:10`, `uniform:5:50`, `exponential:20`, `lognormal:30:0.5`, `coordinates:0.1[:base]`.
 * A bare number means constant.
 */
export function parseLatency (value: string): LatencyModel {
  const [kind, ...rest] = value.split(':')
  const nums = rest.map(Number)
  const bad = (): never => {
    throw new InvalidArgumentError(`bad latency "${value}" (constant:MS, uniform:MIN:MAX, exponential:MEAN, lognormal:MEDIAN:SIGMA, coordinates:MS_PER_UNIT[:BASE])`)
  }
  if (nums.some(n => !Number.isFinite(n) || n < 0)) bad()
  if (/^\d+(\.\d+)?$/.test(kind) && rest.length === 0) return { kind: 'constant', ms: Number(kind) }
  switch (kind) {
    case 'constant': if (nums.length === 1) return { kind, ms: nums[0] }; break
    case 'uniform': if (nums.length === 2 && nums[0] <= nums[1]) return { kind, min: nums[0], max: nums[1] }; break
    case 'exponential': if (nums.length === 1) return { kind, mean: nums[0] }; break
    case 'lognormal': if (nums.length === 2) return { kind, median: nums[0], sigma: nums[1] }; break
    case 'coordinates': if (nums.length === 1 || nums.length === 2) return { kind, msPerUnit: nums[0], ...(nums.length === 2 ? { baseMs: nums[1] } : {}) }; break
  }
  return bad()
}
