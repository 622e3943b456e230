/** A standalone tracker node: `createLibp2p({ services: { tracker: tracker() } })`. */
import { OverlayService, type ServiceInit } from '../../runtime/libp2p/service.js'
import { trackerSpec, type TrackerMachine, type TrackerOptions } from '../tracker.js'
import type { TrackerMsg } from '../tracker-codec.js'
import type { OverlayComponents } from '../../runtime/libp2p/components.js'

export interface TrackerInit extends Omit<TrackerOptions, 'serve'>, ServiceInit {}

export class TrackerService extends OverlayService<TrackerMsg, TrackerOptions, TrackerMachine> {
  constructor (components: OverlayComponents, init: TrackerInit = {}) {
    super(components, trackerSpec, { ...init, serve: true }, init)
  }
}

export function tracker (init: TrackerInit = {}): (components: OverlayComponents) => TrackerService {
  return (components) => new TrackerService(components, init)
}
