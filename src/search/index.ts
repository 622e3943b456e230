/**
 * Shared search parts (napster, gnutella, fasttrack). API documented in full below as it lands.
 */
export * from './keywords.js'
export * from './workload.js'
