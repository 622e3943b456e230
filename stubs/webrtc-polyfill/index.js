// WebRTC is not available in this build: webtorrent is used over plain TCP only.
class Unavailable { constructor () { throw new Error('WebRTC is not available (webrtc-polyfill stub)') } }
export const RTCPeerConnection = Unavailable
export const RTCSessionDescription = Unavailable
export const RTCIceCandidate = Unavailable
export const RTCDataChannel = Unavailable
export default { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate, RTCDataChannel }
