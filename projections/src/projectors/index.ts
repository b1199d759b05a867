import type { Projector } from '../projector.js';
import { consultationsProjector } from './consultations.js';
import { projectsProjector } from './projects.js';
import { proposalsProjector } from './proposals.js';
import { ticketsProjector } from './tickets.js';
import { timelineProjector } from './timeline.js';

export { ticketsProjector, ticketRow, DEFAULT_TIME_ZONE } from './tickets.js';
export { timelineProjector } from './timeline.js';
export { ballotReceipt, consultationsProjector } from './consultations.js';
export { proposalsProjector } from './proposals.js';
export { projectsProjector } from './projects.js';
export { timelineEntry, type TimelineEntry } from './timeline-summary.js';

/** Every projector that writes to the read schema. */
export const defaultProjectors: readonly Projector[] = [ticketsProjector, timelineProjector, consultationsProjector, proposalsProjector, projectsProjector];
