/** The order demo acts run in (unknown names go last, alphabetically). */
export const ACT_ORDER = ['ping', 'chord', 'gossip', 'napster', 'gnutella', 'fasttrack', 'bittorrent']
