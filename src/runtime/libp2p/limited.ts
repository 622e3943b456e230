/**
 * Which overlay protocols may open streams over limited (relayed) connections. Control traffic
 * (small, rate-bounded frames) may; a protocol that carries bulk data may not, because the relay
 * resets the connection at its data limit (128 KiB by default) and would cut the control traffic
 * sharing it too:
 * - chord, gossip, ping, the BitTorrent tracker: control only → yes;
 * - napster, gnutella, fasttrack: their file transfers (`xfer-*`) travel on the overlay stream
 *   itself → no, these peers need a direct connection (plain dial, DCUtR or WebRTC);
 * - BitTorrent peer wire (pieces): its own handler, never on a limited connection.
 * An app can override per service with `driver: { runOnLimitedConnection }`.
 */
export const RUNS_ON_LIMITED_CONNECTION: Readonly<Record<string, boolean>> = {
  chord: true,
  gossip: true,
  ping: true,
  'bittorrent-tracker': true,
  napster: false,
  'napster-server': false,
  gnutella: false,
  fasttrack: false
}
