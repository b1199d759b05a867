import { AddNoteCommand, AddNoteHandler } from './add-note.command.js';
import { AssignTicketCommand, AssignTicketHandler } from './assign-ticket.command.js';
import { CloseTicketCommand, CloseTicketHandler } from './close-ticket.command.js';
import { ConfirmReportCommand, ConfirmReportHandler } from './confirm-report.command.js';
import { ConfirmResolutionCommand, ConfirmResolutionHandler } from './confirm-resolution.command.js';
import { DisputeResolutionCommand, DisputeResolutionHandler } from './dispute-resolution.command.js';
import { MarkDuplicateCommand, MarkDuplicateHandler } from './mark-duplicate.command.js';
import { RejectTicketCommand, RejectTicketHandler } from './reject-ticket.command.js';
import { ResolveTicketCommand, ResolveTicketHandler } from './resolve-ticket.command.js';
import { StartWorkCommand, StartWorkHandler } from './start-work.command.js';
import { SubmitReportCommand, SubmitReportHandler } from './submit-report.command.js';
import { TriageTicketCommand, TriageTicketHandler } from './triage-ticket.command.js';

export { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';
export {
  AddNoteCommand,
  AssignTicketCommand,
  CloseTicketCommand,
  ConfirmReportCommand,
  ConfirmResolutionCommand,
  DisputeResolutionCommand,
  MarkDuplicateCommand,
  RejectTicketCommand,
  ResolveTicketCommand,
  StartWorkCommand,
  SubmitReportCommand,
  TriageTicketCommand,
};

export const ticketCommandHandlers = [
  SubmitReportHandler,
  ConfirmReportHandler,
  TriageTicketHandler,
  AssignTicketHandler,
  StartWorkHandler,
  AddNoteHandler,
  ResolveTicketHandler,
  ConfirmResolutionHandler,
  DisputeResolutionHandler,
  CloseTicketHandler,
  RejectTicketHandler,
  MarkDuplicateHandler,
];
