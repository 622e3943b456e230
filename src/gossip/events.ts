/** Events the gossip machine emits (through env.emit) for the public API and for metrics. */
export type GossipEvent =
  /** A broadcast delivered to this node (exactly once per update). */
  | { type: 'gossip:deliver', id: string, topic: string, data: Uint8Array, origin: string, from: string, latencyMs: number }
  /** A key of the replicated map changed here (a newer write or a death certificate won). */
  | { type: 'gossip:map', key: string, deleted: boolean, value: Uint8Array | undefined }
